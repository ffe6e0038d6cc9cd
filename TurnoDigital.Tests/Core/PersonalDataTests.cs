using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class PersonalDataTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    PersonalDataService Privacy => h.Services.GetRequiredService<PersonalDataService>();

    async Task<AppointmentView> BookTramitesAsync(string doc = "1020304050")
    {
        var s = await h.ServiceAsync("Trámites y certificados");
        var tomorrowTenLocal = h.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(15); // 10:00 in Bogotá
        return await h.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(s.BranchId, s.Id,
            tomorrowTenLocal, Channel.Web,
            new IntakeInput(DocumentType.CC, doc, "María Pérez", "3001234567", "maria@example.co", new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }),
            Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true));
    }

    async Task<int> CustomerIdAsync(string doc)
    {
        await using var db = h.Db();
        return await db.Customers.Where(c => c.Document!.Number == doc).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task Export_holds_everything_about_the_person_and_is_audited()
    {
        var booked = await BookTramitesAsync();
        var id = (await Privacy.FindAsync("1.020.304.050")).Single().Id;
        Assert.Equal(id, (await Privacy.FindAsync("300 123 4567")).Single().Id);

        using var json = JsonDocument.Parse(await Privacy.ExportAsync(id, "admin-1", "admin@demo.turno"));
        var root = json.RootElement;
        Assert.Equal("María Pérez", root.GetProperty("person").GetProperty("FullName").GetString());
        Assert.Equal(2, root.GetProperty("consents").GetArrayLength());
        Assert.Equal(booked.Code, root.GetProperty("appointments")[0].GetProperty("Code").GetString());
        Assert.Equal("Paz y salvo", root.GetProperty("appointments")[0].GetProperty("intake").GetProperty("tramite").GetString());
        Assert.Equal("AppointmentBooked", root.GetProperty("journey")[0].GetProperty("kind").GetString());
        await using var db = h.Db();
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal((AuditActions.PersonExported, "admin-1", id.ToString()), (audit.Action, audit.ActorId, audit.EntityId));
    }

    [Fact]
    public async Task Erasure_removes_personal_data_but_keeps_the_visits_for_statistics()
    {
        await BookTramitesAsync();
        var id = await CustomerIdAsync("1020304050");
        await using (var before = h.Db())
            Assert.Equal(1, await before.JourneyEvents.CountAsync());

        await Privacy.EraseAsync(id, "admin-1", "admin@demo.turno");

        await using var db = h.Db();
        var c = await db.Customers.Include(x => x.Consents).SingleAsync(x => x.Id == id);
        Assert.Null(c.FullName); Assert.Null(c.Phone); Assert.Null(c.Email); Assert.Null(c.Document);
        Assert.NotNull(c.AnonymisedAt);
        Assert.All(c.Consents, x => Assert.NotNull(x.WithdrawnAt));
        var a = await db.Appointments.SingleAsync();
        Assert.Null(a.IntakeData);
        Assert.Equal(id, a.CustomerId);                      // the visit stays, anonymous
        Assert.Equal(1, await db.JourneyEvents.CountAsync()); // the journey stays
        Assert.Empty(await Privacy.FindAsync("1020304050"));
        Assert.Equal(AuditActions.PersonErased, (await db.AuditEntries.SingleAsync()).Action);
        await Assert.ThrowsAsync<DomainException>(() => Privacy.EraseAsync(id, "admin-1", null));
    }

    [Fact]
    public async Task Retention_anonymises_only_people_without_recent_visits()
    {
        await BookTramitesAsync("111111");
        await h.IssueAsync("Caja"); // anonymous walk-in: nothing to anonymise
        h.Clock.Advance(TimeSpan.FromDays(400));
        await BookTramitesAsync("222222");
        Assert.Equal(0, await Privacy.AnonymiseExpiredAsync()); // 730 days by default

        h.Clock.Advance(TimeSpan.FromDays(400)); // 800 days after the first booking, 400 after the second
        Assert.Equal(1, await Privacy.AnonymiseExpiredAsync());
        Assert.Equal(0, await Privacy.AnonymiseExpiredAsync()); // idempotent
        await using var db = h.Db();
        Assert.NotNull((await db.Customers.SingleAsync(c => c.Id == 1)).AnonymisedAt);
        Assert.Equal("222222", (await db.Customers.SingleAsync(c => c.AnonymisedAt == null)).Document?.Number);
        Assert.Equal(2, await db.Appointments.CountAsync());
    }

    async Task ChattedAsync(string waId, string text, string reply)
    {
        await using var db = h.Db();
        var now = h.Clock.GetUtcNow().UtcDateTime;
        db.InboundMessages.Add(new TurnoDigital.Core.WhatsApp.InboundMessage { WaMessageId = "wamid." + Guid.NewGuid(), From = waId, Type = "text", Text = text, SentAt = now, ReceivedAt = now, HandledAt = now });
        db.WhatsAppContacts.Add(new TurnoDigital.Core.WhatsApp.WhatsAppContact { WaId = waId, LastInboundAt = now, StateUpdatedAt = now, Data = "{\"doc\":\"1020304050\"}" });
        var m = await TurnoDigital.Core.WhatsApp.Outbox.AddAsync(db, waId, TurnoDigital.Core.WhatsApp.MessageKind.Reply, "r:" + Guid.NewGuid(), new TurnoDigital.Core.WhatsApp.OutgoingContent(reply), now);
        m!.Status = TurnoDigital.Core.WhatsApp.OutboxStatus.Read;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_former_phone_still_finds_exports_and_erases_the_person_and_its_other_records()
    {
        await BookTramitesAsync(); // with 300 123 4567
        var id = await CustomerIdAsync("1020304050");
        await using (var db = h.Db())
        {
            (await db.Customers.SingleAsync(x => x.Id == id)).Phone = PhoneNumber.Parse("3109998877");
            await db.SaveChangesAsync();
        }
        await ChattedAsync("573001234567", "Soy María, con mi número anterior", "Hola María");
        // A kiosk ticket with the old number: a second, phone-only record of the same person.
        var caja = await h.ServiceAsync("Caja");
        await h.Queue.IssueAsync(new TurnoDigital.Core.Queueing.IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(),
            WhatsAppPhone: "3001234567", WhatsAppConsent: true));

        Assert.Contains(await Privacy.FindAsync("300 123 4567"), p => p.Id == id);
        using (var json = JsonDocument.Parse(await Privacy.ExportAsync(id, "admin-1", null)))
        {
            var root = json.RootElement;
            Assert.Equal(["+573001234567", "+573109998877"], root.GetProperty("contactHistory").EnumerateArray()
                .Where(x => x.GetProperty("kind").GetString() == "Phone").Select(x => x.GetProperty("Value").GetString()).Distinct().Order());
            Assert.Equal("Soy María, con mi número anterior", root.GetProperty("whatsAppReceived")[0].GetProperty("Text").GetString());
            Assert.Equal("{\"doc\":\"1020304050\"}", root.GetProperty("whatsAppConversations")[0].GetProperty("data").GetString());
            Assert.Single(root.GetProperty("linkedRecords").EnumerateArray());
            Assert.Single(root.GetProperty("tickets").EnumerateArray());
        }

        await Privacy.EraseAsync(id, "admin-1", null);

        await using var after = h.Db();
        Assert.Equal(0, await after.Customers.CountAsync(c => c.AnonymisedAt == null));
        Assert.Equal(0, await after.CustomerContacts.CountAsync());
        Assert.Null((await after.InboundMessages.SingleAsync()).Text);
        Assert.Equal(0, await after.WhatsAppContacts.CountAsync());
        Assert.Empty(await Privacy.FindAsync("3001234567"));
        Assert.Empty(await Privacy.FindAsync("3109998877"));
    }

    [Fact]
    public async Task WhatsApp_messages_are_part_of_the_export_and_are_emptied_by_erasure()
    {
        await BookTramitesAsync();
        await ChattedAsync("573001234567", "Soy María, CC 1020304050", "Hola María");
        var id = await CustomerIdAsync("1020304050");
        using (var json = JsonDocument.Parse(await Privacy.ExportAsync(id, "admin-1", null)))
        {
            Assert.Equal("Soy María, CC 1020304050", json.RootElement.GetProperty("whatsAppReceived")[0].GetProperty("Text").GetString());
            Assert.Contains(json.RootElement.GetProperty("whatsAppSent").EnumerateArray(), m => m.GetProperty("text").GetString() == "Hola María");
        }

        await Privacy.EraseAsync(id, "admin-1", null);

        await using var db = h.Db();
        var inbound = await db.InboundMessages.SingleAsync();
        Assert.Null(inbound.Text);
        Assert.Equal(PersonalDataService.Anonymous, inbound.From);
        Assert.DoesNotContain("María", (await db.Outbox.SingleAsync(m => m.Kind == TurnoDigital.Core.WhatsApp.MessageKind.Reply)).Content);
        Assert.Equal(0, await db.WhatsAppContacts.CountAsync());
    }

    [Fact]
    public async Task Retention_empties_message_bodies_older_than_the_period_and_keeps_the_rows()
    {
        await ChattedAsync("573009998877", "mi cédula es 99887766", "Gracias");
        h.Clock.Advance(TimeSpan.FromDays(731));
        await ChattedAsync("573005554433", "hola", "Hola");
        await Privacy.AnonymiseExpiredAsync();
        await using var db = h.Db();
        Assert.Equal(2, await db.InboundMessages.CountAsync());
        Assert.Null((await db.InboundMessages.SingleAsync(m => m.From == PersonalDataService.Anonymous)).Text);
        Assert.Equal("hola", (await db.InboundMessages.SingleAsync(m => m.From == "573005554433")).Text);
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.To == PersonalDataService.Anonymous && !m.Content.Contains("Gracias")));
    }
}
