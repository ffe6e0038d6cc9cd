using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Tests.Core.Customers;
using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Components.Pages.Desk.Components;
using TurnoDigital.Web.Components.Pages.Display;

namespace TurnoDigital.Tests.Components;

/// <summary>Issue 15 §1: the desk's person panel, collapsed until the agent opens it.</summary>
public class PersonPanelTests : ComponentTestBase
{
    async Task<SupervisionData.Seeded> SeedAsync()
    {
        var data = await SupervisionData.SeedAsync(H);
        await PersonHistoryTests.SeedConversationAsync(H, data);
        Services.AddSingleton(H.Services.GetRequiredService<PersonHistoryQueries>());
        return data;
    }

    async Task<int> AuditsAsync()
    {
        await using var db = H.Db();
        return await db.AuditEntries.CountAsync(a => a.Action == AuditActions.PersonViewedAtDesk);
    }

    [Fact]
    public async Task Collapsed_by_default_one_tap_opens_intake_messages_and_visits_and_show_more_pages_back()
    {
        var data = await SeedAsync();
        AddAuthorization().SetAuthorized("agente1@demo.turno").SetClaims(new Claim(ClaimTypes.NameIdentifier, data.Agent1));
        var cut = Render<PersonPanel>(p => p.Add(x => x.TicketId, data.ServingTicketId));

        // Collapsed: nothing personal rendered, nothing read, nothing audited.
        Assert.Empty(cut.FindAll("[data-testid=person-panel-body]"));
        Assert.Equal("false", cut.Find("[data-action=person-panel]").GetAttribute("aria-expanded"));
        Assert.DoesNotContain("Refinanciar", cut.Markup);
        Assert.Equal(0, await AuditsAsync());

        cut.Find("[data-action=person-panel]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Refinanciar", cut.Find("[data-testid=person-intake]").TextContent));
        Assert.Contains("WhatsApp", cut.Find("[data-testid=person-intake]").TextContent); // which channel collected it
        Assert.Equal(10, cut.FindAll("[data-testid=person-chat] [data-direction]").Count);
        Assert.Equal(("out", "in"), (cut.FindAll("[data-direction]")[0].GetAttribute("data-direction"), cut.FindAll("[data-direction]")[^1].GetAttribute("data-direction")));
        Assert.Contains("131026 · Message undeliverable", cut.Find("[data-testid=person-chat]").TextContent);
        Assert.Contains("Entregado", cut.Find("[data-testid=person-reminders]").TextContent);
        Assert.Contains("Trae extractos la próxima vez", cut.Find("[data-testid=person-visits]").TextContent);
        Assert.Contains("2/5", cut.Find("[data-testid=person-visits]").TextContent);
        Assert.Equal(1, await AuditsAsync());

        cut.Find("[data-action=person-chat-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal(16, cut.FindAll("[data-testid=person-chat] [data-direction]").Count));
        Assert.Contains("Mensaje 0", cut.Find("[data-testid=person-chat]").TextContent);
        Assert.Empty(cut.FindAll("[data-action=person-chat-more]"));

        // Closing and reopening the same ticket shows what was read, without reading (or auditing) again.
        cut.Find("[data-action=person-panel]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=person-panel-body]")));
        cut.Find("[data-action=person-panel]").Click();
        cut.WaitForAssertion(() => Assert.Equal(16, cut.FindAll("[data-testid=person-chat] [data-direction]").Count));
        Assert.Equal(1, await AuditsAsync());

        // The next ticket at the counter starts collapsed again.
        cut.Render(p => p.Add(x => x.TicketId, data.ServingTicketId + 1000));
        Assert.Empty(cut.FindAll("[data-testid=person-panel-body]"));
    }

    [Fact]
    public async Task Another_agent_gets_a_clear_message_and_no_data()
    {
        var data = await SeedAsync();
        AddAuthorization().SetAuthorized("agente2@demo.turno").SetClaims(new Claim(ClaimTypes.NameIdentifier, data.Agent2));
        var cut = Render<PersonPanel>(p => p.Add(x => x.TicketId, data.ServingTicketId));
        cut.Find("[data-action=person-panel]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Solo quien atiende el turno", cut.Find("[data-testid=person-panel-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=person-intake]"));
    }

    [Fact]
    public async Task The_board_shows_the_called_number_and_nothing_of_the_person()
    {
        await SeedAsync();
        await H.IssueAsync("Trámites y certificados", intake: new IntakeInput(DocumentType.CC, "52776655", "Lucía Gómez", "3105551234", null,
            new Dictionary<string, string?> { ["tramite"] = "Paz y salvo" }));
        await H.Services.AgentsAsync("agent-3");
        var v3 = await H.CounterAsync("Ventanilla 3");
        await H.Sessions.OpenAsync(v3.Id, "agent-3");
        var called = (await H.Queue.CallNextAsync(v3.Id, "agent-3"))!;

        await SignInAsDeviceAsync(DeviceKind.Display);
        var board = Render<Display>();
        board.WaitForAssertion(() => Assert.Equal(called.Number, board.Find(".board__call--now .board__number").TextContent));
        foreach (var personal in new[] { "Lucía", "52776655", "3105551234", "Paz y salvo", "Marta", "1012345678", "3001112233", "Refinanciar" })
            Assert.DoesNotContain(personal, board.Markup);
    }
}
