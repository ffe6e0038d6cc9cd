using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.WhatsApp;

/// <summary>The dispatcher's one pre-send gate, against a fake Graph API: an erased, opted-out or withdrawn number gets nothing.</summary>
public class SendGateTests : FakeGraphApiTest
{
    const string Phone = "3001234567", WaId = "573001234567";
    PersonalDataService Privacy => H.Services.GetRequiredService<PersonalDataService>();

    /// <summary>A booking with WhatsApp consent: its confirmation is a pending row for <see cref="WaId"/>.</summary>
    async Task<int> BookAsync()
    {
        await BookWithWhatsAppAsync(Now.Date.AddDays(1).AddHours(15), phone: Phone);
        await using var db = H.Db();
        Assert.True(await db.Outbox.AnyAsync(m => m.To == WaId && m.Status == OutboxStatus.Pending));
        return await db.Customers.Where(c => c.Document!.Number == "1020304050").Select(c => c.Id).SingleAsync();
    }

    async Task<long> EnqueueAsync(MessageKind kind, int? customerId = null)
    {
        await using var db = H.Db();
        var m = await Outbox.AddAsync(db, "+" + WaId, kind, Guid.NewGuid().ToString(), new OutgoingContent("Su turno está cerca"), Now);
        m!.CustomerId = customerId;
        await db.SaveChangesAsync();
        return m.Id;
    }

    /// <summary>Dispatches until nothing is due (rows to one person go one pass apart).</summary>
    async Task DispatchAllAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            await Dispatcher.DispatchDueAsync();
            await using var db = H.Db();
            if (!await db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Pending)) return;
            H.Clock.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Fail("Rows still pending.");
    }

    async Task<List<OutboxMessage>> RowsAsync()
    {
        await using var db = H.Db();
        return await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task An_erased_number_gets_neither_the_pending_message_nor_a_new_one()
    {
        var id = await BookAsync();
        var before = (await RowsAsync()).Single().Id;

        await Privacy.EraseAsync(id, "admin", null);
        var after = await EnqueueAsync(MessageKind.ReminderSameDay);
        var laterBooking = await EnqueueAsync(MessageKind.TurnNear, id);
        await DispatchAllAsync();

        Assert.Empty(Api.Requests);
        var rows = (await RowsAsync()).ToDictionary(m => m.Id);
        // Erasure cancelled the pending row and removed its number and content.
        Assert.Equal((OutboxStatus.Expired, PersonalDataService.Anonymous, PersonalDataService.CancelledByErasure), (rows[before].Status, rows[before].To, rows[before].Error));
        Assert.DoesNotContain("María", rows[before].Content);
        // New rows to the number are stopped by the gate: the suppression record, and the erased customer.
        Assert.Equal((OutboxStatus.Failed, SendGate.SuppressedReason), (rows[after].Status, rows[after].Error));
        Assert.Equal((OutboxStatus.Failed, SendGate.ErasedReason), (rows[laterBooking].Status, rows[laterBooking].Error));
        // The suppression record holds a keyed hash, not the number.
        await using var db = H.Db();
        var suppressed = await db.SuppressedNumbers.SingleAsync();
        Assert.Equal(64, suppressed.Hash.Length);
        Assert.DoesNotContain(WaId, suppressed.Hash);
        Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(WaId))).ToLowerInvariant(), suppressed.Hash);
    }

    [Fact]
    public async Task An_opt_out_stops_a_row_written_before_it_and_one_written_after()
    {
        var id = await BookAsync();
        await using (var db = H.Db())
        {
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = WaId, StateUpdatedAt = Now, OptedOutAt = Now });
            await db.SaveChangesAsync();
        }
        await EnqueueAsync(MessageKind.TurnNear, id);
        await DispatchAllAsync();

        Assert.Empty(Api.Requests);
        Assert.All(await RowsAsync(), m => Assert.Equal((OutboxStatus.Failed, SendGate.OptedOutReason), (m.Status, m.Error)));
    }

    [Fact]
    public async Task Consent_withdrawn_after_the_row_was_written_stops_it_and_a_reply_still_goes()
    {
        var id = await BookAsync();
        await using (var db = H.Db())
        {
            var customer = await db.Customers.Include(c => c.Consents).SingleAsync(c => c.Id == id);
            customer.WithdrawConsents([ConsentRecord.WhatsAppAppointmentUpdates, ConsentRecord.WhatsAppTicketUpdates], Channel.Web, Now, null);
            db.WhatsAppContacts.Add(new WhatsAppContact { WaId = WaId, StateUpdatedAt = Now, LastInboundAt = Now });
            await db.SaveChangesAsync();
        }
        var reply = await EnqueueAsync(MessageKind.Reply, id);
        await DispatchAllAsync();

        var rows = await RowsAsync();
        Assert.Equal((OutboxStatus.Failed, SendGate.ConsentWithdrawnReason), (rows[0].Status, rows[0].Error));
        Assert.Equal(OutboxStatus.Sent, rows.Single(m => m.Id == reply).Status);
        Assert.Single(Api.Requests);
    }
}
