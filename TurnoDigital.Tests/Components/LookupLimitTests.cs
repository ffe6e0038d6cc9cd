using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Web.Components.Pages.Book;
using TurnoDigital.Web.Components.Pages.Status;

namespace TurnoDigital.Tests.Components;

/// <summary>
/// Look-ups by secret code made inside a circuit (where the HTTP limiter sees nothing) count against the per-client window:
/// over it, a real code answers like an unknown one, only adding "try later".
/// </summary>
public class LookupLimitTests : ComponentTestBase, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Services.AddSingleton(H.Services.GetRequiredService<AvailabilityService>());
        Services.AddSingleton(H.Services.GetRequiredService<BookingService>());
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Limits.Public = new() { PermitLimit = 2, WindowSeconds = 60 };
    }

    [Fact]
    public async Task Over_the_limit_a_real_code_looks_like_an_unknown_one_with_a_polite_try_later()
    {
        var s = await H.ServiceAsync("Asesoría de créditos");
        var booked = await H.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(s.BranchId, s.Id,
            new DateTime(2026, 11, 26, 14, 0, 0, DateTimeKind.Utc), Channel.Web,
            new IntakeInput(DocumentType.CC, "52111222", "Ana Gómez", "3001112233", "ana@example.com"), Guid.NewGuid(), DataPolicyAccepted: true));

        var unknown = Render<ManageAppointment>(p => p.Add(x => x.Code, "ZZZZZZZZZZ"));
        unknown.WaitForElement("[data-testid=appointment-not-found]");
        Assert.Empty(unknown.FindAll("[data-testid=lookup-try-later]"));
        var found = Render<ManageAppointment>(p => p.Add(x => x.Code, booked.Code));
        found.WaitForAssertion(() => Assert.Contains(booked.Code, found.Markup));

        var limited = Render<ManageAppointment>(p => p.Add(x => x.Code, booked.Code));
        limited.WaitForElement("[data-testid=appointment-not-found]");
        Assert.DoesNotContain(booked.Code, limited.Markup);
        Assert.Contains("intente más tarde", limited.Find("[data-testid=lookup-try-later]").TextContent);
        // The ticket status page draws from the same window.
        var ticket = await H.IssueAsync("Caja");
        var status = Render<TicketStatusPage>(p => p.Add(x => x.Code, ticket.Code));
        status.WaitForElement("[data-testid=lookup-try-later]");
        Assert.DoesNotContain(ticket.Number, status.Markup);
    }
}
