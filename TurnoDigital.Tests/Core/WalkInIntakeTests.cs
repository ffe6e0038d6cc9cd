using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>A walk-in ticket collects the service's intake like a booking does.</summary>
public class WalkInIntakeTests : IAsyncLifetime
{
    const string Tramites = "Trámites y certificados";
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    static IntakeInput Intake(string doc = "1.020.304.050", string tramite = "Paz y salvo") =>
        new(DocumentType.CC, doc, "Ana  María Ríos", "300 123 4567", null, new Dictionary<string, string?> { ["tramite"] = tramite });

    [Fact]
    public async Task A_Tramites_walk_in_without_intake_names_every_required_field_and_issues_nothing()
    {
        var ex = await Assert.ThrowsAsync<IntakeValidationException>(() => h.IssueAsync(Tramites));
        Assert.Equal(["document", "fullName", "phone", "tramite"], ex.Errors.Keys.Order().ToArray());
        await using var db = h.Db();
        Assert.Equal(0, await db.Tickets.CountAsync());
        Assert.Equal(0, await db.TicketNumberCounters.CountAsync()); // no number burnt
    }

    [Fact]
    public async Task With_intake_the_ticket_is_linked_to_a_normalised_customer_and_keeps_the_custom_answer()
    {
        var view = await h.IssueAsync(Tramites, intake: Intake());
        Assert.Equal("D-001", view.Number);
        await using var db = h.Db();
        var ticket = await db.Tickets.Include(t => t.Customer).SingleAsync();
        Assert.Equal(DocumentType.CC, ticket.Customer!.Document?.Type);
        Assert.Equal("1020304050", ticket.Customer.Document?.Number);
        Assert.Equal("+573001234567", ticket.Customer.Phone?.Value);
        Assert.Equal("Ana María Ríos", ticket.Customer.FullName);
        Assert.Null(ticket.Customer.Email);
        Assert.Equal("Paz y salvo", JsonSerializer.Deserialize<Dictionary<string, string>>(ticket.IntakeData!)!["tramite"]);
        // The desk shows it labelled like an appointment's intake: PersonHistoryTests.
    }

    [Fact]
    public async Task The_same_document_twice_is_one_customer_and_WhatsApp_consent_goes_to_it()
    {
        await h.IssueAsync(Tramites, intake: Intake("1020304050"));
        var s = await h.ServiceAsync(Tramites);
        await h.Queue.IssueAsync(new IssueTicketRequest(s.BranchId, s.Id, Channel.Kiosk, Guid.NewGuid(), null, "3109998877", true,
            Intake("1020304050", "Certificado laboral"), DataPolicyAccepted: true));

        await using var db = h.Db();
        var customer = await db.Customers.Include(c => c.Consents).SingleAsync();
        Assert.Equal("1020304050", customer.Document?.Number);
        Assert.Equal("+573001234567", customer.Phone?.Value); // the intake phone stays the contact number
        Assert.Equal(ConsentRecord.WhatsAppTicketUpdates, Assert.Single(customer.Consents, c => c.Purpose != ConsentRecord.DataProcessing).Purpose);
        // Each intake recorded the authorization the kiosk showed, with the kiosk text's version.
        Assert.Equal(2, customer.Consents.Count(c => c.Purpose == ConsentRecord.DataProcessing && c.TextVersion == ConsentTexts.Kiosk));
        var tickets = await db.Tickets.OrderBy(t => t.Id).ToListAsync();
        Assert.All(tickets, t => Assert.Equal(customer.Id, t.CustomerId));
        // The second ticket's messages go to the number given for it, with its consent; the first has none.
        Assert.Equal("+573109998877", tickets[1].ContactPhone?.Value);
        Assert.True(tickets[1].WhatsAppOptIn);
        Assert.False(tickets[0].WhatsAppOptIn);
    }

    [Fact]
    public async Task Caja_needs_nothing_and_stores_nothing()
    {
        var view = await h.IssueAsync("Caja");
        Assert.Equal("A-001", view.Number);
        await using var db = h.Db();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Null(ticket.CustomerId);
        Assert.Null(ticket.IntakeData);
        Assert.Equal(0, await db.Customers.CountAsync());
    }
}
