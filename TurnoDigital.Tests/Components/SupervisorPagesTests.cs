using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Supervision;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Components.Pages.Supervisor;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Components;

public class SupervisorPagesTests : ComponentTestBase
{
    SupervisionData.Seeded data = default!;

    async Task SignInAsSupervisorAsync()
    {
        data = await SupervisionData.SeedAsync(H);
        Services.AddSingleton(H.Services.GetRequiredService<PanelQueries>());
        Services.AddSingleton(H.Services.GetRequiredService<JourneyTrace>());
        Services.AddSingleton(H.Services.GetRequiredService<WhatsAppChannelQueries>());
        await using var db = H.Db();
        var supervisor = await db.Users.SingleAsync(u => u.Email == "supervisor@demo.turno");
        var auth = AddAuthorization();
        auth.SetAuthorized(supervisor.Email!);
        auth.SetRoles(Roles.Supervisor);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, supervisor.Id));
        Render<MudPopoverProvider>();
    }

    static string Cell(IRenderedComponent<SupervisorPanel> cut, string table, string key, string kpi) =>
        cut.Find($"[data-testid={table}] tr[data-key=\"{key}\"] [data-kpi={kpi}]").TextContent.Trim();

    [Fact]
    public async Task Panel_shows_todays_numbers_and_marks_a_line_over_its_target()
    {
        await SignInAsSupervisorAsync();
        var cut = Render<SupervisorPanel>();
        cut.WaitForAssertion(() => Assert.Equal("11", Cell(cut, "kpi-channels", "Kiosk", "visitors")));
        Assert.Equal("4,5 min", Cell(cut, "kpi-channels", "Kiosk", "avg-wait"));
        Assert.Equal("8,0 min", Cell(cut, "kpi-channels", "Kiosk", "p90-wait"));
        Assert.Equal("33 %", Cell(cut, "kpi-channels", "WhatsApp", "no-show"));
        Assert.Equal("4,0 (3)", Cell(cut, "kpi-channels", "Kiosk", "rating"));
        Assert.Equal("20,0 min", Cell(cut, "kpi-services", "Caja", "p90-wait"));

        // Caja: one person waiting 15 min against a 10-minute target — colour, icon and words.
        var caja = cut.Find("[data-testid=lines-now] tr[data-service=Caja]");
        Assert.Contains("over-target", caja.ClassName);
        Assert.Contains("Sobre la meta", caja.QuerySelector("[data-alert=over-target]")!.TextContent);
        Assert.Equal("15 min", caja.QuerySelector("[data-kpi=longest]")!.TextContent);
        Assert.Null(cut.Find("[data-testid=lines-now] tr[data-service=Información]").QuerySelector("[data-alert]"));

        Assert.Contains("Atendiendo", cut.Find("[data-agent=\"Agente Uno\"]").TextContent);
        var paused = cut.Find("[data-agent=\"Agente Dos\"]").TextContent;
        Assert.Contains("En pausa", paused);
        Assert.Contains("Almuerzo", paused);
        Assert.Contains("1 de 3", cut.Find("[data-testid=counters-open]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=arrivals-chart] svg"));
        Assert.NotEmpty(cut.FindAll("[data-testid=wait-chart] svg"));
    }

    [Fact]
    public async Task Panel_refreshes_on_queue_events_at_once_and_on_a_timer()
    {
        await SignInAsSupervisorAsync();
        var cut = Render<SupervisorPanel>();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-kpi=waiting-total]").TextContent));

        await H.IssueAsync("Información");
        await H.IssueAsync("Información");
        // No delay: the clock stands still and the panel follows the events (a burst is merged into the next refresh).
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-kpi=waiting-total]").TextContent));

        // With no event at all, the longest wait grows on the periodic refresh.
        H.Clock.Advance(SupervisorPanel.PeriodicRefresh);
        cut.WaitForAssertion(() => Assert.Equal("15 min", cut.Find("[data-testid=lines-now] tr[data-service=Caja] [data-kpi=longest]").TextContent));
        H.Clock.Advance(TimeSpan.FromMinutes(5) - SupervisorPanel.PeriodicRefresh);
        cut.WaitForAssertion(() => Assert.Equal("20 min", cut.Find("[data-testid=lines-now] tr[data-service=Caja] [data-kpi=longest]").TextContent));
    }

    [Fact]
    public async Task Journey_page_shows_the_timeline_in_order_and_writes_the_audit_entry()
    {
        await SignInAsSupervisorAsync();
        var cut = Render<Journey>();
        cut.Find("input[data-testid=journey-query], [data-testid=journey-query] input").Input("1012345678");
        await cut.Find("form").SubmitAsync();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=journey-timeline] tbody tr").Count));
        var steps = cut.FindAll("[data-testid=journey-timeline] tbody tr").Select(r => r.Children[2].TextContent).ToList();
        Assert.Equal(["Cita agendada", "Llegada (check-in)", "Llamado a ventanilla", "Calificó la atención"], steps);
        Assert.Contains("******5678", cut.Find("[data-testid=journey-people]").TextContent);
        Assert.DoesNotContain("1012345678", cut.Find("[data-testid=journey-people]").TextContent);

        await using var db = H.Db();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.JourneyViewed);
        Assert.Equal(data.CustomerId.ToString(), audit.EntityId);
        Assert.NotNull(audit.ActorId);
    }

    [Fact]
    public async Task Journey_page_searches_by_document_type_and_number()
    {
        await SignInAsSupervisorAsync();
        var cut = Render<Journey>();
        Assert.Equal(DocumentType.CC, cut.FindComponent<MudSelect<DocumentType>>().Instance.Value); // the usual one first, as at the desk
        cut.Find("input[data-testid=journey-query], [data-testid=journey-query] input").Input("1012345678");

        // Marta's document is a CC: as a TI the same number is another person, not found.
        var type = cut.FindComponent<MudSelect<DocumentType>>();
        await cut.InvokeAsync(() => type.Instance.ValueChanged.InvokeAsync(DocumentType.TI));
        await cut.Find("form").SubmitAsync();
        cut.WaitForAssertion(() => Assert.Contains("TI ******5678", cut.Find("[data-testid=journey-empty]").TextContent));

        await cut.InvokeAsync(() => type.Instance.ValueChanged.InvokeAsync(DocumentType.CC));
        await cut.Find("form").SubmitAsync();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=journey-timeline] tbody tr").Count));
    }

    [Fact]
    public async Task Channel_page_counts_and_raises_the_silence_alert_as_time_passes()
    {
        await SignInAsSupervisorAsync();
        await using (var db = H.Db())
        {
            db.InboundMessages.Add(new InboundMessage { WaMessageId = "w1", From = "573001112233", Type = "text", Text = "Hola", SentAt = SupervisionData.At(9, 30), ReceivedAt = SupervisionData.At(9, 30) });
            db.Outbox.Add(new OutboxMessage { DedupeKey = "f", To = "573001112233", Kind = MessageKind.TurnNear, Status = OutboxStatus.Failed, CreatedAt = SupervisionData.At(9, 31),
                NextAttemptAt = SupervisionData.At(9, 31), FailedAt = SupervisionData.At(9, 32), ErrorCode = 131026, Error = "Message undeliverable", BranchId = data.BranchId });
            // A "turn near" marker (the confirmation already said it): not a message, so neither sent nor expired.
            db.Outbox.Add(new OutboxMessage { DedupeKey = "m", To = "573001112233", Kind = MessageKind.TurnNear, Status = OutboxStatus.Expired, CreatedAt = SupervisionData.At(9, 31),
                NextAttemptAt = SupervisionData.At(9, 31), ExpiresAt = SupervisionData.At(9, 31), Error = Notifications.SuppressedNear, BranchId = data.BranchId });
            await db.SaveChangesAsync();
            await db.AlertThresholds.ExecuteUpdateAsync(s => s.SetProperty(t => t.SilenceMinutes, 60)); // the administrator's threshold
        }
        var cut = Render<WhatsAppChannel>();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-kpi=inbound]").TextContent));
        Assert.Equal("3", cut.Find("[data-kpi=bookings]").TextContent);
        Assert.Contains("1", cut.Find("[data-status=Failed]").TextContent);
        Assert.Contains(": 0", cut.Find("[data-status=Expired]").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("131026", cut.Find("[data-testid=failures]").TextContent));
        // MudBlazor's pager fills {first_item}-{last_item} in itself: no literal braces left over.
        cut.WaitForAssertion(() => Assert.Contains("1-1 de 1", cut.Find("[data-testid=failures] .mud-table-pagination").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=silence-alert]"));

        H.Clock.Advance(TimeSpan.FromMinutes(45)); // 75 minutes without a message, the demo branch open all day
        cut.WaitForAssertion(() => Assert.Contains("75 min", cut.Find("[data-testid=silence-alert]").TextContent));
    }
}
