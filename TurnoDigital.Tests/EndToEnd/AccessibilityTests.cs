using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static TurnoDigital.Tests.Support.Screens;

namespace TurnoDigital.Tests.EndToEnd;

/// <summary>
/// axe-core on every public screen, step by step: no "serious" or "critical" violation anywhere.
/// Each scenario drives one page and scans it at each step; the failures of all steps are reported together.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(LiveServer server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LiveServer>
{
    static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>Scans the page as it is now and notes every serious or critical violation under the step's name.</summary>
    /// <remarks>On the kiosk the AAA rule color-contrast-enhanced (7:1) is switched on too.</remarks>
    sealed class Scan(IPage page, Xunit.Abstractions.ITestOutputHelper output, bool kiosk = false)
    {
        readonly List<string> failures = [];
        readonly AxeRunOptions? options = kiosk
            ? new AxeRunOptions { Rules = new Dictionary<string, RuleOptions> { ["color-contrast-enhanced"] = new() { Enabled = true } } }
            : null;

        public async Task StepAsync(string step)
        {
            var result = await page.RunAxe(options);
            output.WriteLine($"axe [{step}] {result.Passes.Length} rules pass, {result.Violations.Length} violated, {result.Incomplete.Length} to review");
            foreach (var v in result.Incomplete)
                output.WriteLine($"axe review [{step}] {v.Impact} {v.Id}: {string.Join(" | ", v.Nodes.Select(n => n.Target + " " + Why(n)))}");
            foreach (var v in result.Violations.Where(v => !Blocking.Contains(v.Impact)))
                output.WriteLine($"axe [{step}] {v.Impact} {v.Id}: {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Target))}");
            foreach (var v in result.Violations.Where(v => Blocking.Contains(v.Impact)))
                foreach (var node in v.Nodes)
                    failures.Add($"[{step}] {v.Impact} {v.Id}: {v.Help} — {node.Target} — {Why(node)}");
        }

        static string Why(AxeResultNode node) => string.Join("; ",
            (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)));

        public void AssertClean() =>
            Assert.True(failures.Count == 0, $"{failures.Count} serious/critical axe violation(s):\n" + string.Join("\n", failures));
    }

    static async Task TypeAsync(IPage kiosk, string text)
    {
        foreach (var c in text) await kiosk.ClickAsync($".kiosk-key[aria-label=\"{(c == ' ' ? "Espacio" : c.ToString())}\"]");
    }

    [Fact]
    public async Task Kiosk_walk_in_with_intake_has_no_serious_violations()
    {
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        var scan = new Scan(kiosk, output, kiosk: true);
        await scan.StepAsync("service choice");

        await kiosk.Locator("[data-service]", new() { HasText = "Trámites" }).ClickAsync();
        await Expect(kiosk.Locator("[data-priority=none]")).ToBeVisibleAsync();
        await scan.StepAsync("preferential question");

        await kiosk.ClickAsync("[data-priority=none]");
        await Expect(kiosk.Locator("[data-doc-type=CC]")).ToBeVisibleAsync();
        await scan.StepAsync("intake: document type");

        await kiosk.ClickAsync("[data-doc-type=CC]");
        await Expect(kiosk.Locator(".kiosk-keypad")).ToBeVisibleAsync();
        await TypeAsync(kiosk, "80123456");
        await scan.StepAsync("intake: number keypad");

        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=fullName]")).ToBeVisibleAsync();
        await TypeAsync(kiosk, "JOSE PEREZ");
        await Expect(kiosk.Locator(".kiosk-typed")).ToHaveTextAsync("JOSE PEREZ");
        await scan.StepAsync("intake: name keyboard");

        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=phone]")).ToBeVisibleAsync();
        await TypeAsync(kiosk, "3115550000");
        await kiosk.ClickAsync("[data-action=intake-next]");
        await Expect(kiosk.Locator("[data-intake-field=email]")).ToBeVisibleAsync();
        await kiosk.ClickAsync("[data-action=intake-skip]");
        await Expect(kiosk.Locator("[data-option='Certificado laboral']")).ToBeVisibleAsync();
        await scan.StepAsync("intake: choice");

        await kiosk.ClickAsync("[data-option='Certificado laboral']");
        await Expect(kiosk.Locator("[data-action=skip-phone]")).ToBeVisibleAsync();
        await scan.StepAsync("WhatsApp");

        await kiosk.ClickAsync("[data-action=skip-phone]");
        await Expect(kiosk.Locator(".ticket__number")).ToBeVisibleAsync();
        await scan.StepAsync("ticket");

        scan.AssertClean();
    }

    [Fact]
    public async Task Kiosk_appointment_check_in_has_no_serious_violations()
    {
        var kiosk = await PairedKioskAsync(server, 1080, 1920);
        var scan = new Scan(kiosk, output, kiosk: true);
        await kiosk.ClickAsync("[data-action=have-appointment]");
        await Expect(kiosk.Locator("[data-testid=checkin-input]")).ToBeVisibleAsync();
        await scan.StepAsync("Tengo cita: search");

        await kiosk.FillAsync("[data-testid=checkin-input]", "99999999");
        await kiosk.ClickAsync("[data-action=find-appointment]");
        await Expect(kiosk.Locator(".kiosk-error")).ToBeVisibleAsync();
        await scan.StepAsync("Tengo cita: not found");

        scan.AssertClean();
    }

    [Fact]
    public async Task Display_board_with_a_call_has_no_serious_violations()
    {
        var board = await server.NewPageAsync(1920, 1080);
        await board.GotoAsync("/display");
        await board.FillAsync("#code", TurnoWebFactory.DisplayCode);
        await board.ClickAsync("button[type=submit]");
        await InteractiveAsync(board);
        await Expect(board.Locator(".board")).ToBeVisibleAsync();

        // A ticket issued and called through the services, so the board shows a live call.
        var services = server.Factory.Services;
        int branchId, serviceId, counterId;
        string agentId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var caja = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Caja");
            (branchId, serviceId) = (caja.BranchId, caja.Id);
            counterId = await db.Counters.Where(c => c.Name == "Ventanilla 1").Select(c => c.Id).SingleAsync();
            agentId = await db.Users.Where(u => u.Email == "agente1@demo.turno").Select(u => u.Id).SingleAsync();
        }
        var issued = await services.GetRequiredService<QueueService>().IssueAsync(
            new IssueTicketRequest(branchId, serviceId, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid()));
        await services.GetRequiredService<CounterSessionService>().OpenAsync(counterId, agentId);
        await services.GetRequiredService<QueueService>().CallNextAsync(counterId, agentId);
        await Expect(board.Locator(".board__call--now .board__number")).ToHaveTextAsync(issued.Number);

        // The call flashes for a few seconds: the flash is held still at moments through one blink, then the board after it.
        var scan = new Scan(board, output);
        await Expect(board.Locator(".board__call--highlight")).ToHaveCountAsync(1);
        foreach (var ms in new[] { 125, 375, 625, 875 })
        {
            await board.EvaluateAsync("ms => document.getAnimations().forEach(a => { a.pause(); a.currentTime = ms; })", ms);
            await scan.StepAsync($"display board, call flashing at {ms} ms");
        }
        await board.EvaluateAsync("() => document.getAnimations().forEach(a => a.finish())");
        await scan.StepAsync("display board with a call");
        scan.AssertClean();
    }

    [Fact]
    public async Task Web_booking_on_a_phone_has_no_serious_violations()
    {
        var page = await server.NewPageAsync(390, 844);
        var scan = new Scan(page, output);
        await page.GotoAsync("/book");
        await InteractiveAsync(page);
        await scan.StepAsync("book: service");

        await page.Locator("[data-service]", new() { HasText = "Trámites y certificados" }).ClickAsync();
        await page.Locator("[data-day]").First.WaitForAsync();
        await scan.StepAsync("book: day");

        await page.Locator("[data-day]").Nth(1).ClickAsync();
        await page.Locator("[data-slot]").First.WaitForAsync();
        await scan.StepAsync("book: time");

        await page.ClickAsync("[data-slot='09:00']");
        await page.SelectOptionAsync("#book-document-type", "CC");
        await page.FillAsync("#book-document", "1020304050");
        await page.FillAsync("#book-phone", "300");
        await page.ClickAsync("[data-action=to-consent]");
        await Expect(page.Locator("#book-fullName-error")).ToBeVisibleAsync();
        await scan.StepAsync("book: intake with errors");

        await page.FillAsync("#book-fullName", "María Pérez");
        await page.FillAsync("#book-phone", "300 123 4567");
        await page.Locator("[data-field=tramite] label", new() { HasText = "Paz y salvo" }).ClickAsync();
        await page.ClickAsync("[data-action=to-consent]");
        await page.Locator("[data-consent=data]").WaitForAsync();
        await page.CheckAsync("[data-consent=data]");
        await scan.StepAsync("book: consent");

        await page.ClickAsync("[data-action=book]");
        await Expect(page.Locator("[data-testid=appointment-code]")).ToBeVisibleAsync();
        await scan.StepAsync("book: confirmation");
        var code = (await page.Locator("[data-testid=appointment-code]").TextContentAsync())!.Trim();

        // /cita without a circuit, each of its steps.
        await page.GotoAsync($"/cita/{code}");
        await Expect(page.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Agendada");
        await LiveAsync(page);
        await scan.StepAsync("/cita/{code}");
        await page.ClickAsync("[data-action=reschedule]");
        await Expect(page.Locator("[data-day]").First).ToBeVisibleAsync();
        await scan.StepAsync("/cita: new day");
        await page.Locator("[data-day]").Nth(1).ClickAsync();
        await Expect(page.Locator("[data-slot]").First).ToBeVisibleAsync();
        await scan.StepAsync("/cita: new time");
        await page.Locator("[data-slot]").Nth(1).ClickAsync();
        await Expect(page.Locator("[data-action=confirm-reschedule]")).ToBeVisibleAsync();
        await scan.StepAsync("/cita: confirm the change");
        await page.ClickAsync("[data-action=confirm-reschedule]");
        await Expect(page.Locator("[data-testid=manage-notice]")).ToBeVisibleAsync();
        await scan.StepAsync("/cita: changed");
        await page.ClickAsync("[data-action=cancel]");
        await Expect(page.Locator("[data-action=confirm-cancel]")).ToBeVisibleAsync();
        await scan.StepAsync("/cita: cancel?");
        await page.ClickAsync("[data-action=confirm-cancel]");
        await Expect(page.Locator("[data-testid=appointment-status]")).ToHaveTextAsync("Cancelada");
        await scan.StepAsync("/cita: cancelled");

        scan.AssertClean();
    }

    [Fact]
    public async Task Ticket_status_login_and_pairing_pages_have_no_serious_violations()
    {
        var services = server.Factory.Services;
        int branchId, serviceId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
        {
            var info = await db.Services.AsNoTracking().SingleAsync(s => s.Name == "Información");
            (branchId, serviceId) = (info.BranchId, info.Id);
        }
        var ticket = await services.GetRequiredService<QueueService>().IssueAsync(
            new IssueTicketRequest(branchId, serviceId, TurnoDigital.Core.Common.Channel.Kiosk, Guid.NewGuid()));

        var page = await server.NewPageAsync(390, 844);
        var scan = new Scan(page, output);
        await page.GotoAsync($"/t/{ticket.Code}");
        await LiveAsync(page);
        await Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("En espera");
        await scan.StepAsync("/t/{code}");

        await page.GotoAsync("/account/login");
        await Expect(page.Locator("#email")).ToBeVisibleAsync();
        await scan.StepAsync("/account/login");

        await page.GotoAsync("/pair/kiosk");
        await Expect(page.Locator("#code")).ToBeVisibleAsync();
        await scan.StepAsync("/pair/kiosk");

        scan.AssertClean();
    }

    [Fact]
    public async Task The_virtual_queue_page_and_its_form_have_no_serious_violations()
    {
        int branchId;
        await using (var db = await server.Factory.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync())
            branchId = await db.Branches.Select(b => b.Id).FirstAsync();
        var page = await server.NewPageAsync(390, 844);
        var scan = new Scan(page, output);
        await page.GotoAsync($"/fila/{branchId}");
        await LiveAsync(page);
        await Expect(page.Locator("[data-action=take]").First).ToBeVisibleAsync();
        await scan.StepAsync("/fila lines");
        await page.Locator("[data-action=take]").Last.ClickAsync();
        await Expect(page.Locator("[data-action=take-ticket]")).ToBeVisibleAsync();
        await scan.StepAsync("/fila form");
        await page.ClickAsync("[data-action=take-ticket]"); // empty: the errors are announced
        await Expect(page.Locator("[role=alert], .field-error").First).ToBeVisibleAsync();
        await scan.StepAsync("/fila form with errors");
        scan.AssertClean();
    }
}
