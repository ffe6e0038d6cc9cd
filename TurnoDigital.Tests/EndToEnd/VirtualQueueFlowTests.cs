using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>A ticket taken on the phone before arriving: /fila → /t (not in line yet) → "Llegué" at the kiosk → called in its place.</summary>
[Collection(BrowserCollection.Name)]
public class VirtualQueueFlowTests(LiveServer server) : IClassFixture<LiveServer>
{
    [Fact]
    public async Task Remote_ticket_confirmed_at_the_kiosk_is_called_before_a_later_walk_in()
    {
        int branchId, tramitesId;
        await using (var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var tramites = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Trámites y certificados");
            (branchId, tramitesId) = (tramites.BranchId, tramites.Id);
        }

        // On a phone: the branch's lines, live, and "Tomar turno" for Trámites.
        var phone = await server.NewPageAsync(390, 844);
        await phone.GotoAsync($"/fila/{branchId}");
        await LiveAsync(phone);
        var line = phone.Locator($"[data-service='{tramitesId}']");
        await Expect(line.Locator("[data-testid=waiting]")).ToHaveTextAsync("0");
        await Shot(phone, "fila-1-lines-phone.png");
        await line.Locator("[data-action=take]").ClickAsync();
        await phone.SelectOptionAsync("#fila-document-type", "CC");
        await phone.FillAsync("#fila-document", "1010123456");
        await phone.FillAsync("#fila-fullName", "Marta Lucía Rojas");
        await phone.FillAsync("#fila-phone", "312 444 5566");
        await phone.Locator("[data-field=tramite] label", new() { HasText = "Paz y salvo" }).ClickAsync();
        await phone.CheckAsync("[data-consent=whatsapp]");
        await phone.CheckAsync("[data-consent=data]");
        await Shot(phone, "fila-2-form-phone.png");
        await phone.ClickAsync("[data-action=take-ticket]");

        // Its status page: not in line yet, with the code to show at the kiosk.
        await Expect(phone.Locator("[data-testid=remote-notice]")).ToContainTextAsync("Aún no está en la fila: al llegar, confirme en el kiosco («Llegué»)");
        await Expect(phone.Locator("[data-testid=status]")).ToHaveTextAsync("Turno a distancia");
        await Expect(phone.Locator("[data-testid=ticket-code]")).ToHaveTextAsync(phone.Url.Split("/t/")[1]);
        var number = (await phone.Locator(".status__number").TextContentAsync())!;
        Assert.Equal("D-001", number);
        Assert.Contains("/t/", phone.Url);
        await LiveAsync(phone);
        await Shot(phone, "fila-3-status-remote-phone.png");

        // Someone else watches the lines live.
        var watcher = await server.NewPageAsync(390, 844);
        await watcher.GotoAsync($"/fila/{branchId}");
        await LiveAsync(watcher);
        var watched = watcher.Locator($"[data-service='{tramitesId}'] [data-testid=waiting]");
        await Expect(watched).ToHaveTextAsync("0"); // the remote ticket is not in line yet

        // A walk-in for the same service, issued after the remote ticket but before its holder arrives.
        server.Clock.Jump(TimeSpan.FromMinutes(5));
        var walkIn = await server.Factory.Services.GetRequiredService<QueueService>().IssueAsync(new IssueTicketRequest(branchId, tramitesId, Channel.Kiosk,
            Guid.NewGuid(), Intake: new IntakeInput(DocumentType.CC, "80123456", "Jose Perez", "3115550000", null,
                new Dictionary<string, string?> { ["tramite"] = "Certificado laboral" }), DataPolicyAccepted: true));
        Assert.Equal("D-002", walkIn.Number);
        await Expect(watched).ToHaveTextAsync("1");
        server.Clock.Jump(TimeSpan.FromMinutes(10));

        // At the branch: "Tengo cita o turno", the document on the keypad.
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        await kiosk.ClickAsync("[data-action=have-appointment]");
        foreach (var d in "1010123456") await kiosk.ClickAsync($".kiosk-key[aria-label=\"{d}\"]");
        await Expect(kiosk.Locator("[data-testid=checkin-input]")).ToHaveValueAsync("1010123456");
        await Shot(kiosk, "kiosk-arrival-1080x1920.png");
        await kiosk.ClickAsync("[data-action=find-appointment]");
        await Expect(kiosk.Locator(".ticket__number")).ToHaveTextAsync(number);
        await Expect(kiosk.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("0");
        await Expect(kiosk.Locator("body")).Not.ToContainTextAsync("Marta");
        await Shot(kiosk, "kiosk-arrival-ticket-1080x1920.png");

        await Expect(watched).ToHaveTextAsync("2");
        // The phone follows it live: now waiting, first in line.
        await Expect(phone.Locator("[data-testid=status]")).ToHaveTextAsync("En espera");
        await Expect(phone.Locator("[data-testid=people-ahead]")).ToHaveTextAsync("0");

        // The desk calls it before the walk-in that was issued after it.
        var desk = await DeskAsync(server, "agente1@demo.turno", "Ventanilla 3");
        await Expect(desk.Locator("[data-line]", new() { HasText = "Trámites" }).Locator("[data-testid=waiting-count]")).ToHaveTextAsync("2");
        await desk.ClickAsync("[data-action=call-next]");
        await Expect(desk.Locator("[data-testid=current-number]")).ToHaveTextAsync(number);

        await using var check = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var ticket = await check.Tickets.SingleAsync(t => t.Number == number);
        Assert.Equal(Channel.Web, ticket.Channel);
        Assert.NotNull(ticket.ArrivedAt);
        Assert.Equal(ticket.IssuedAt, ticket.DueAt);
    }
}
