using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>One place builds and reads the public links: what it builds matches the routes, and reads back.</summary>
public class PublicLinksTests
{
    static PublicLinks Links(string baseUrl) => new(new FixedOptions<WhatsAppOptions>(new() { PublicBaseUrl = baseUrl }));

    [Theory]
    [InlineData("https://turnos.example.co")]
    [InlineData("https://turnos.example.co/")]
    [InlineData("https://turnos.example.co//")]
    public void Absolute_links_have_one_slash_after_the_base_url(string baseUrl)
    {
        var links = Links(baseUrl);
        Assert.Equal("https://turnos.example.co/t/ab12cd34ef", links.TicketUrl("ab12cd34ef"));
        Assert.Equal("https://turnos.example.co/cita/QW3RTY78", links.AppointmentUrl("QW3RTY78"));
        Assert.Equal("https://turnos.example.co/cita/QW3RTY78/ics", links.AppointmentCalendarUrl("QW3RTY78"));
        Assert.Equal("https://turnos.example.co/fila/7", links.LineUrl(7));
    }

    [Theory]
    [InlineData("https://example.co/turnos")]
    [InlineData("https://example.co/turnos/")]
    public void A_base_url_with_a_path_keeps_it(string baseUrl)
    {
        Assert.Equal("https://example.co/turnos/t/ab12cd34ef", Links(baseUrl).TicketUrl("ab12cd34ef"));
    }

    [Fact]
    public void The_configured_base_url_is_read_when_a_link_is_built()
    {
        var options = new WhatsAppOptions { PublicBaseUrl = "https://a.example.co" };
        var links = new PublicLinks(new FixedOptions<WhatsAppOptions>(options));
        Assert.StartsWith("https://a.example.co/", links.TicketUrl("x1"));
        options.PublicBaseUrl = "https://b.example.co/";
        Assert.Equal("https://b.example.co/t/x1", links.TicketUrl("x1"));
    }

    [Fact]
    public void Relative_links_resolve_against_the_app_base_so_a_path_base_still_works()
    {
        Assert.Equal("t/ab12cd34ef", PublicLinks.Ticket("ab12cd34ef"));
        Assert.Equal("cita/QW3RTY78", PublicLinks.Appointment("QW3RTY78"));
        Assert.Equal("cita/QW3RTY78/ics", PublicLinks.AppointmentCalendar("QW3RTY78"));
        Assert.Equal("cita-QW3RTY78.ics", PublicLinks.AppointmentCalendarFileName("QW3RTY78"));
        Assert.Equal("fila/12", PublicLinks.Line(12));
        Assert.Equal("https://example.co/turnos/t/ab12cd34ef", new Uri(new Uri("https://example.co/turnos/"), PublicLinks.Ticket("ab12cd34ef")).ToString());
    }

    [Fact]
    public void A_code_is_escaped_in_a_link_and_unescaped_when_read_back()
    {
        var url = Links("https://turnos.example.co").TicketUrl("a b/c");
        Assert.Equal("https://turnos.example.co/t/a%20b%2Fc", url);
        Assert.Equal("a b/c", PublicLinks.TicketCodeFrom(url));
    }

    [Theory]
    [InlineData("https://turnos.example.co")]
    [InlineData("https://turnos.example.co/")]
    [InlineData("http://127.0.0.1:5050/base/")]
    public void A_ticket_link_reads_back_to_its_code(string baseUrl)
    {
        var code = "ab12cd34ef";
        var url = Links(baseUrl).TicketUrl(code);
        Assert.Equal(code, PublicLinks.TicketCodeFrom(url));
        Assert.Equal(code, PublicLinks.TicketCodeFrom(PublicLinks.Ticket(code).Insert(0, "/")));
        // What a scanner types: a trailing newline, a query, another case.
        Assert.Equal(code, PublicLinks.TicketCodeFrom(url.ToUpperInvariant() + "?utm=qr\n"));
        Assert.Equal(code, PublicLinks.TicketCodeFrom(url + "#estado"));
        // The arrival input reads the same link.
        Assert.Equal((code, null), QueueService.ParseArrivalInput(url));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("ab12cd34ef", null)]
    [InlineData("https://turnos.example.co/cita/QW3RTY78", null)]
    [InlineData("https://turnos.example.co/t/", "")]
    public void Text_that_is_no_ticket_link_has_no_code(string? text, string? expected)
    {
        Assert.Equal(expected, PublicLinks.TicketCodeFrom(text));
    }

    [Fact]
    public void An_empty_or_too_long_code_in_a_ticket_link_is_not_an_arrival()
    {
        Assert.Equal((null, null), QueueService.ParseArrivalInput("https://turnos.example.co/t/"));
        Assert.Equal((null, null), QueueService.ParseArrivalInput("https://turnos.example.co/t/" + new string('a', Ticket.CodeMax + 1)));
    }

    /// <summary>The links the pages and messages build are the ones the app's routes answer.</summary>
    [Fact]
    public void Each_built_link_matches_its_route_with_the_same_values()
    {
        AssertMatches(PublicLinks.TicketRoute, "/" + PublicLinks.Ticket("ab12cd34ef"), "Code", "ab12cd34ef");
        AssertMatches(PublicLinks.AppointmentRoute, "/" + PublicLinks.Appointment("QW3RTY78"), "Code", "QW3RTY78");
        AssertMatches(PublicLinks.AppointmentCalendarRoute, "/" + PublicLinks.AppointmentCalendar("QW3RTY78"), "code", "QW3RTY78");
        AssertMatches(PublicLinks.LineRoute, "/" + PublicLinks.Line(42), "BranchId", "42");
        // The calendar file is not mistaken for the appointment page, nor a ticket for a line.
        Assert.False(Matcher(PublicLinks.AppointmentRoute).TryMatch("/" + PublicLinks.AppointmentCalendar("QW3RTY78"), new RouteValueDictionary()));
        Assert.False(Matcher(PublicLinks.LineRoute).TryMatch("/" + PublicLinks.Ticket("ab12cd34ef"), new RouteValueDictionary()));
    }

    static void AssertMatches(string route, string path, string parameter, string expected)
    {
        var values = new RouteValueDictionary();
        Assert.True(Matcher(route).TryMatch(path, values), $"{path} does not match {route}");
        Assert.Equal(expected, values[parameter]?.ToString());
    }

    static TemplateMatcher Matcher(string route) => new(TemplateParser.Parse(route), new RouteValueDictionary());
}
