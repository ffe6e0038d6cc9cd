using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Privacy;

/// <summary>
/// Ley 1581: after an erasure request nothing of the person is left in the database file, its write-ahead log or the app's logs,
/// whatever channels they used (API booking, kiosk ticket with a phone, WhatsApp through the signed webhook, the desk's note).
/// </summary>
public class ErasureLeavesNoTraceTests(ErasureLeavesNoTraceTests.Factory factory) : IClassFixture<ErasureLeavesNoTraceTests.Factory>
{
    const string Secret = "erasure-secret", Key = "td_erasure_key_2026";
    const string WaId = "573157654321", National = "3157654321", Document = "52987654", Name = "Zoraida Quintero", Email = "zoraida.q@example.co";

    public sealed class Factory : BuiltWebFactory
    {
        readonly FakeGraphApi graph = FakeGraphApi.StartAsync().GetAwaiter().GetResult();

        public Factory() => Settings = new Dictionary<string, string>(graph.Settings(Secret).Select(kv => KeyValuePair.Create(kv.Key, kv.Value ?? "")))
        {
            ["WhatsApp:SecondsPerRecipient"] = "0",
            // Everything our code logs, so the log files are worth searching.
            ["Serilog:MinimumLevel:Default"] = "Debug",
        };

        protected override async Task SeedAsync(IServiceProvider services)
        {
            var branch = await services.SaveAsync(A.Branch().With(A.Service("Trámites", "T").Both(slotMinutes: 30, capacity: 5).StandardIntake()).WithCounter("Ventanilla 1"));
            await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
            db.IntakeFields.Add(new IntakeField { ServiceId = branch.Services[0].Id, Key = "detalle", Kind = IntakeFieldKind.Text, Label = "Detalle", Order = 9 });
            await db.SaveChangesAsync();
            await services.ApiKeyAsync(Key);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing) graph.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    IDbContextFactory<TurnoDbContext> Db => factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>();

    static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    async Task PostWhatsAppAsync(string id, string text)
    {
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(WaId, id, text, factory.Clock.GetUtcNow().UtcDateTime, FakeGraphApi.PhoneNumberId));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostWebhookAsync(body, Secret)).StatusCode);
    }

    /// <summary>Nothing is still to be sent, received or processed: the app is at rest.</summary>
    async Task<bool> QuietAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        return !await db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Pending)
            && !await db.WebhookInbox.AnyAsync(i => i.ProcessedAt == null)
            && !await db.InboundMessages.AnyAsync(m => m.HandledAt == null);
    }

    [Fact]
    public async Task After_erasure_no_phone_document_or_name_is_left_in_the_database_its_wal_or_the_logs()
    {
        int branchId, serviceId, counterId;
        await using (var db = await Db.CreateDbContextAsync())
        {
            var service = await db.Services.SingleAsync();
            (branchId, serviceId) = (service.BranchId, service.Id);
            counterId = await db.Counters.Select(c => c.Id).SingleAsync();
        }

        // 1. A booking through the REST API, with WhatsApp consent and a free-text intake answer.
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var start = factory.Today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:00:00-05:00";
        var booked = await api.PostAsJsonAsync("/api/v1/appointments", new
        {
            branchId, serviceId, start,
            customer = new { documentType = "CC", documentNumber = Document, fullName = Name, phone = "315 765 4321", email = Email },
            consent = new { dataProcessing = true, whatsApp = true },
            intake = new { detalle = $"Soy {Name}, cédula {Document}" },
        });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var appointmentCode = (await booked.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["code"]!.GetValue<string>();

        // 2. A walk-in ticket at the kiosk, with the phone for WhatsApp and the intake.
        var queue = factory.Services.GetRequiredService<QueueService>();
        var ticket = await queue.IssueAsync(new IssueTicketRequest(branchId, serviceId, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: "3157654321",
            WhatsAppConsent: true, Intake: new TurnoDigital.Core.Appointments.IntakeInput(DocumentType.CC, Document, Name, "3157654321", null,
                new Dictionary<string, string?> { ["detalle"] = $"Llamar al {National}" }), DataPolicyAccepted: true));

        // 3. WhatsApp messages through the signed webhook: the raw payloads hold the number.
        await PostWhatsAppAsync("wamid.ERASE1", "Hola");
        await PostWhatsAppAsync("wamid.ERASE2", $"Me llamo {Name}, CC {Document}");

        // 4. The desk serves the ticket and writes an outcome note.
        var called = await queue.CallNextAsync(counterId, "agent-erasure");
        Assert.Equal(ticket.Code, called!.Code);
        var started = await queue.StartAsync(called.Id, called.Version, "agent-erasure");
        await queue.CompleteAsync(started.Id, started.Version, "agent-erasure", $"{Name} entregó copia de la cédula {Document}");

        // Public pages with codes in their paths are requested (request logging).
        var browser = factory.CreateClient();
        await browser.GetAsync($"/t/{ticket.Code}");
        await browser.GetAsync($"/cita/{appointmentCode}");
        await browser.GetAsync($"/cita/{appointmentCode}/ics");

        await Until(QuietAsync, "the app did not settle");
        await using (var db = await Db.CreateDbContextAsync())
        {
            Assert.True(await db.WebhookInbox.AnyAsync(i => i.Body.Contains(WaId)));
            Assert.True(await db.Outbox.AnyAsync(m => m.To == WaId && m.Status != OutboxStatus.Pending));
            Assert.True(await db.Tickets.AnyAsync(t => t.OutcomeNote != null));
        }

        var privacy = factory.Services.GetRequiredService<PersonalDataService>();
        var found = await privacy.FindAsync(Document);
        Assert.NotEmpty(found);
        await privacy.EraseAsync(found[0].Id, "admin", "admin@test");

        var dbPath = (await Db.CreateDbContextAsync()).Database.GetDbConnection().DataSource;
        var logFolder = Path.GetDirectoryName(factory.Services.GetRequiredService<IConfiguration>()["Logging:File"])!;
        string[] logs = [];
        var logText = "";
        // Request logging writes its line once the response has gone (the client may see it first): wait for the last request's line.
        await Until(() =>
        {
            logs = Directory.GetFiles(logFolder);
            logText = string.Concat(logs.Select(f => Encoding.UTF8.GetString(ReadShared(f))));
            return Task.FromResult(logText.Contains("/t/***") && logText.Contains("/cita/***"));
        }, "request logging was on, with the codes masked");
        Assert.DoesNotContain(ticket.Code, logText);
        Assert.DoesNotContain(appointmentCode, logText);

        var files = new[] { dbPath, dbPath + "-wal" }.Where(File.Exists).Concat(logs).ToList();
        foreach (var needle in new[] { WaId, National, Document, Name, "Zoraida", "Quintero", Email })
        foreach (var file in files)
            Assert.False(Contains(ReadShared(file), Encoding.UTF8.GetBytes(needle)), $"'{needle}' is still in {Path.GetFileName(file)}");

        await using var after = await Db.CreateDbContextAsync();
        Assert.Equal(1, await after.Tickets.CountAsync()); // the visit stays, anonymous
        Assert.Single(await after.SuppressedNumbers.ToListAsync());
    }

    /// <summary>The file's bytes; none when it is gone (SQLite deletes the -wal file when its last connection closes).</summary>
    static byte[] ReadShared(string path)
    {
        FileStream s;
        try { s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { return []; }
        using var _ = s;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
