using Bunit;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Web.Components.Pages.Desk.Components;
using TurnoDigital.Web.Components.Pages.Kiosk;
using TurnoDigital.Web.Components.Pages.Status.Components;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Components;

/// <summary>The screens of a remote ticket: its status page, the kiosk's "Llegué" and the desk's arrival confirmation.</summary>
public class RemoteTicketScreensTests : ComponentTestBase
{
    async Task<TicketStatusView> RemoteAsync(string service = "Caja", string phone = "3001234567")
    {
        var s = await H.ServiceAsync(service);
        var intake = service == "Caja" ? null : new TurnoDigital.Core.Appointments.IntakeInput(TurnoDigital.Core.Customers.DocumentType.CC, "52123456",
            "Rosa Díaz", phone, null, new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" });
        return await H.Queue.IssueRemoteAsync(new RemoteTicketRequest(s.BranchId, s.Id, Channel.Web, Guid.NewGuid(), phone, false, true, intake));
    }

    [Fact]
    public async Task A_kiosk_ticket_has_no_cancel_place_and_a_remote_one_shows_its_code()
    {
        // The card the status page and its live channel render (the cancel form itself posts over HTTP: PublicLiveChannelTests).
        var kiosk = await H.IssueAsync("Caja");
        Assert.Empty(Render<TicketStatusCard>(p => p.Add(x => x.Status, kiosk)).FindAll("[data-live-slot]"));
        var remote = await RemoteAsync("Trámites y certificados");
        var cut = Render<TicketStatusCard>(p => p.Add(x => x.Status, remote).AddChildContent("<button data-action=\"cancel-ticket\"></button>"));
        Assert.Equal(remote.Code, cut.Find("[data-testid=ticket-code]").TextContent);
        Assert.Single(cut.FindAll("[data-live-slot] [data-action=cancel-ticket]"));
        Assert.DoesNotContain("Rosa", cut.Markup);
    }

    [Fact]
    public async Task Kiosk_llegue_twice_says_the_ticket_is_already_in_line()
    {
        var remote = await RemoteAsync("Trámites y certificados");
        await SignInAsDeviceAsync(DeviceKind.Kiosk);
        var cut = Render<Kiosk>();
        cut.WaitForElement("[data-service]");
        cut.Find("[data-action=have-appointment]").Click();
        cut.WaitForElement("[data-testid=checkin-input]").Input($"https://turno.example/t/{remote.Code}"); // what a scanner types
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Equal(remote.Number, cut.Find(".ticket__number").TextContent));

        cut.Find(".kiosk-actions .kiosk-choice:not(.kiosk-choice--secondary)").Click(); // Terminar
        cut.WaitForElement("[data-service]");
        cut.Find("[data-action=have-appointment]").Click();
        cut.WaitForElement("[data-testid=checkin-input]").Input("52123456");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains($"Su turno {remote.Number}", cut.Find("[data-testid=already-in-line]").TextContent));
    }

    [Fact]
    public async Task The_desk_finds_a_remote_ticket_by_document_and_confirms_its_arrival_with_an_audit()
    {
        var remote = await RemoteAsync("Trámites y certificados");
        var cut = Render<CheckInPanel>(p => p.Add(x => x.BranchId, remote.BranchId).Add(x => x.AgentId, "agent-7"));
        var input = cut.FindAll("[data-testid=desk-checkin-input]").Concat(cut.FindAll("[data-testid=desk-checkin-input] input")).Single(e => e.TagName == "INPUT");
        input.Change("52.123.456");
        cut.Find("[data-action=desk-find-appointment]").Click();
        cut.WaitForElement("[data-action=desk-confirm-arrival]").Click();
        cut.WaitForAssertion(() => Assert.Contains($"Llegada confirmada: turno {remote.Number}", cut.Find("[data-testid=desk-checkin-message]").TextContent));

        Assert.Equal(TicketStatus.Waiting, (await H.TicketAsync(remote.Code)).Status);
        await using var db = H.Db();
        var arrival = await db.JourneyEvents.SingleAsync(e => e.Kind == JourneyEventKind.ArrivalConfirmed);
        Assert.Equal("agent-7", arrival.ActorId);
        Assert.Contains("InPerson", arrival.Data);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.TicketArrivalConfirmed && a.ActorId == "agent-7"));
    }
}
