using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Privacy;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core.Customers;

/// <summary>Issue 15 §1: the desk's person panel reads intake, messages, reminders and earlier visits, within scope, audited, after erasure nothing.</summary>
public class PersonHistoryTests : IAsyncLifetime
{
    CoreHarness h = default!;
    SupervisionData.Seeded data = default!;
    public async Task InitializeAsync()
    {
        h = await CoreHarness.CreateAsync();
        data = await SupervisionData.SeedAsync(h);
    }
    public async Task DisposeAsync() => await h.DisposeAsync();
    PersonHistoryQueries History => h.Services.GetRequiredService<PersonHistoryQueries>();
    static DateTime At(int hour, double minute = 0) => SupervisionData.At(hour, minute);
    const string Marta = "573001112233";

    /// <summary>Marta's appointment intake, 14 chat messages (8:00–8:13, alternating), a delivered reminder and a failed notice; a stranger's message.</summary>
    Task SeedConversationAsync() => SeedConversationAsync(h, data);

    internal static async Task SeedConversationAsync(CoreHarness h, SupervisionData.Seeded data)
    {
        await using var db = h.Db();
        var appointment = await db.Appointments.SingleAsync(a => a.TicketId == data.ServingTicketId);
        db.SetRow(appointment, new { IntakeData = "{\"email\":\"marta@example.co\",\"motivo\":\"Refinanciar\"}" });
        db.SetRow(await db.Tickets.SingleAsync(t => t.Rating == 2 && t.CustomerId == data.CustomerId), new { OutcomeNote = "Trae extractos la próxima vez" });
        for (var i = 0; i < 14; i++)
        {
            if (i % 2 == 0)
                db.InboundMessages.Add(new InboundMessage { WaMessageId = $"wamid.in{i}", From = Marta, Type = "text", Text = $"Mensaje {i}", SentAt = At(7, i), ReceivedAt = At(7, i), CustomerId = data.CustomerId });
            else
                db.Outbox.Add(new OutboxMessage { DedupeKey = $"reply{i}", To = Marta, Kind = MessageKind.Reply, Content = Outbox.Serialize(new OutgoingContent($"Respuesta {i}")),
                    Status = OutboxStatus.Read, CreatedAt = At(7, i), NextAttemptAt = At(7, i), SentAt = At(7, i) });
        }
        db.Outbox.Add(new OutboxMessage { DedupeKey = "r1", To = Marta, Kind = MessageKind.ReminderSameDay, Content = Outbox.Serialize(new OutgoingContent("Su cita es hoy")),
            Status = OutboxStatus.Delivered, CreatedAt = At(7, 30), NextAttemptAt = At(7, 30), SentAt = At(7, 30), DeliveredAt = At(7, 31), BranchId = data.BranchId,
            CustomerId = data.CustomerId, AppointmentStart = At(9, 30) });
        db.Outbox.Add(new OutboxMessage { DedupeKey = "f1", To = Marta, Kind = MessageKind.ReminderDayBefore, Content = Outbox.Serialize(new OutgoingContent("Mañana")),
            Status = OutboxStatus.Failed, CreatedAt = At(7, 40), NextAttemptAt = At(7, 40), FailedAt = At(7, 41), ErrorCode = 131026, Error = "Message undeliverable",
            BranchId = data.BranchId, AppointmentStart = At(9, 30) });
        db.InboundMessages.Add(new InboundMessage { WaMessageId = "wamid.other", From = "573009999999", Type = "text", Text = "Soy otra persona", SentAt = At(7, 50), ReceivedAt = At(7, 50) });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Opening_shows_the_intake_the_newest_messages_the_reminders_and_earlier_visits_and_is_audited()
    {
        await SeedConversationAsync();
        var view = await History.OpenAsync(data.ServingTicketId, data.Agent1, "agente1@demo.turno", isAdmin: false);

        Assert.False(view.Erased);
        Assert.Equal(Channel.WhatsApp, view.IntakeChannel); // the appointment was booked on WhatsApp
        Assert.Equal([new IntakeAnswer("Correo electrónico", "marta@example.co"), new IntakeAnswer("motivo", "Refinanciar")], view.Intake);

        // 16 of Marta's messages: the newest 10, newest first, in Bogotá time; the stranger's never.
        Assert.True(view.Chat.HasMore);
        Assert.Equal(10, view.Chat.Lines.Count);
        Assert.Equal("131026 · Message undeliverable", view.Chat.Lines[0].Failure);
        Assert.Equal("Mensaje 6", view.Chat.Lines[^1].Text);
        Assert.Equal(new DateTime(2026, 11, 25, 7, 6, 0), view.Chat.Lines[^1].AtLocal);
        Assert.True(view.Chat.Lines[^1].Inbound);
        Assert.Equal((false, OutboxStatus.Read), (view.Chat.Lines[^2].Inbound, view.Chat.Lines[^2].Status!.Value));
        Assert.DoesNotContain(view.Chat.Lines, l => l.Text.Contains("otra persona"));

        Assert.Equal([MessageKind.ReminderDayBefore, MessageKind.ReminderSameDay], view.Reminders.Select(r => r.Kind));
        Assert.Equal(OutboxStatus.Delivered, view.Reminders[1].Status);
        Assert.Equal("131026 · Message undeliverable", view.Reminders[0].Failure);
        Assert.Equal(new DateTime(2026, 11, 25, 9, 30, 0), view.Reminders[1].ForLocal);

        // Earlier visits: the rated, noted ticket of 8:50 and the appointments that never became a ticket (the 15:00 one is still ahead).
        var served = Assert.Single(view.Visits, v => v.TicketStatus == TicketStatus.Completed);
        Assert.Equal(("Sede Centro", "Asesoría de créditos", 2, "Trae extractos la próxima vez"), (served.BranchName, served.ServiceName, served.Rating!.Value, served.Note));
        Assert.Equal([AppointmentStatus.Cancelled, AppointmentStatus.NoShow, AppointmentStatus.NoShow],
            view.Visits.Where(v => v.AppointmentStatus is not null).Select(v => v.AppointmentStatus!.Value));
        Assert.Equal(4, view.Visits.Count);

        var more = await History.ChatAsync(data.ServingTicketId, data.Agent1, false, 20);
        Assert.False(more.HasMore);
        Assert.Equal(16, more.Lines.Count);
        Assert.Equal("Mensaje 0", more.Lines[^1].Text);

        await using var db = h.Db();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.PersonViewedAtDesk);
        Assert.Equal((data.Agent1, "Ticket", data.ServingTicketId.ToString(), data.BranchId), (audit.ActorId, audit.Entity, audit.EntityId, audit.BranchId!.Value));
        foreach (var personal in new[] { "Marta", "1012345678", "3001112233", "marta@", "Refinanciar", "Mensaje" })
            Assert.DoesNotContain(personal, audit.Details);
    }

    [Fact]
    public async Task A_walk_in_shows_the_intake_it_gave_at_the_kiosk_with_the_field_labels()
    {
        var issued = await h.IssueAsync("Trámites y certificados", intake: new IntakeInput(TurnoDigital.Core.Customers.DocumentType.CC, "52776655", "Lucía Gómez",
            "3105551234", null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }));
        await h.Services.AgentsAsync("agent-3");
        var v3 = await h.CounterAsync("Ventanilla 3");
        await h.Sessions.OpenAsync(v3.Id, "agent-3");
        var called = await h.Queue.CallNextAsync(v3.Id, "agent-3");
        Assert.Equal(issued.Number, called!.Number);

        var view = await History.OpenAsync(called.Id, "agent-3", null, isAdmin: false);
        Assert.Equal(Channel.Kiosk, view.IntakeChannel);
        Assert.Equal(new IntakeAnswer("Trámite", "Paz y salvo"), Assert.Single(view.Intake));
        Assert.Equal(new IntakeAnswer("Procedure", "Paz y salvo"), Assert.Single((await History.OpenAsync(called.Id, "agent-3", null, false, english: true)).Intake));
    }

    [Fact]
    public async Task Visits_and_messages_of_a_branch_outside_the_agents_scope_are_not_shown()
    {
        var norte = await h.Services.SaveAsync(A.Branch("Sede Norte").With(A.Service("Caja", "N")).WithCounter("Norte 1", "Caja"));
        await using (var db = h.Db())
        {
            var caja = await db.Services.SingleAsync(s => s.BranchId == norte.Id);
            db.Row<Ticket>(new
            {
                BranchId = norte.Id, ServiceId = caja.Id, ServiceDay = SupervisionData.Day.AddDays(-7), Sequence = 1, Number = "N-001", Code = "norte001",
                Channel = Channel.Kiosk, IssuedAt = At(9).AddDays(-7), DueAt = At(9).AddDays(-7), Status = TicketStatus.Completed, Rating = 5,
                CustomerId = (int?)data.CustomerId, OutcomeNote = "Visita en el norte",
            });
            db.Outbox.Add(new OutboxMessage { DedupeKey = "norte", To = Marta, Kind = MessageKind.TicketCalled, Content = Outbox.Serialize(new OutgoingContent("Lo llaman en Sede Norte")),
                Status = OutboxStatus.Read, CreatedAt = At(9).AddDays(-7), NextAttemptAt = At(9).AddDays(-7), BranchId = norte.Id });
            await db.SaveChangesAsync();
        }

        var scoped = await History.OpenAsync(data.ServingTicketId, data.Agent1, null, isAdmin: false);
        Assert.DoesNotContain(scoped.Visits, v => v.BranchName == "Sede Norte");
        Assert.DoesNotContain(scoped.Chat.Lines, l => l.Text.Contains("Norte"));

        // The same agent granted every branch sees them: the filter above is the scope, nothing else.
        await using (var db = h.Db())
        {
            db.SetRow(await db.Users.SingleAsync(u => u.Id == data.Agent1), new { AllBranches = true });
            await db.SaveChangesAsync();
        }
        var all = await History.OpenAsync(data.ServingTicketId, data.Agent1, null, isAdmin: false);
        Assert.Equal(("Visita en el norte", 5), (Assert.Single(all.Visits, v => v.BranchName == "Sede Norte").Note, all.Visits.Single(v => v.Number == "N-001").Rating!.Value));
        Assert.Contains(all.Chat.Lines, l => l.Text.Contains("Norte"));
    }

    [Fact]
    public async Task After_erasure_the_panel_shows_nothing_personal()
    {
        await SeedConversationAsync();
        Assert.NotEmpty((await History.OpenAsync(data.ServingTicketId, data.Agent1, null, false)).Chat.Lines);

        await h.Services.GetRequiredService<PersonalDataService>().EraseAsync(data.CustomerId, "admin", null);
        var view = await History.OpenAsync(data.ServingTicketId, data.Agent1, null, false);
        Assert.True(view.Erased);
        Assert.Empty(view.Intake);
        Assert.Empty(view.Chat.Lines);
        Assert.Empty(view.Reminders);
        Assert.Empty(view.Visits);
        Assert.Empty((await History.ChatAsync(data.ServingTicketId, data.Agent1, false, 50)).Lines);
        await using var db = h.Db();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.PersonViewedAtDesk)); // opening stays audited
    }

    [Fact]
    public async Task Only_the_agent_holding_the_ticket_may_open_it()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => History.OpenAsync(data.ServingTicketId, data.Agent2, null, false));
        Assert.Equal("PersonPanel.NotYourTicket", ex.Code);
        await Assert.ThrowsAsync<DomainException>(() => History.ChatAsync(data.ServingTicketId, data.Agent2, false, 10));
        await using var db = h.Db();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.PersonViewedAtDesk));
    }
}
