using TurnoDigital.Core.Common;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

public class TicketStateTests
{
    static readonly DateTime T0 = new(2026, 11, 25, 15, 0, 0, DateTimeKind.Utc);

    static Ticket Called(int callCount = 1) => Rows.Make<Ticket>(new
    {
        Number = "A-001", ServiceId = 1, Status = TicketStatus.Called, AgentId = "agent", CounterId = 3, CallCount = callCount,
        IssuedAt = T0, CalledAt = T0.AddMinutes(5), FirstCalledAt = T0.AddMinutes(5),
    });

    [Fact]
    public void Called_ticket_goes_through_start_and_complete()
    {
        var t = Called();
        t.Start("agent", T0.AddMinutes(6));
        t.Complete("agent", T0.AddMinutes(10), "  Pagó la factura ");
        Assert.Equal(TicketStatus.Completed, t.Status);
        Assert.Equal(T0.AddMinutes(6), t.StartedAt);
        Assert.Equal(T0.AddMinutes(10), t.ClosedAt);
        Assert.Equal("Pagó la factura", t.OutcomeNote);
        Assert.Equal(2, t.Version);
    }

    [Fact]
    public void Recall_counts_and_keeps_the_first_call_time()
    {
        var t = Called();
        t.Recall("agent", T0.AddMinutes(7));
        Assert.Equal(2, t.CallCount);
        Assert.Equal(T0.AddMinutes(7), t.CalledAt);
        Assert.Equal(T0.AddMinutes(5), t.FirstCalledAt);
    }

    [Fact]
    public void No_show_needs_at_least_one_recall()
    {
        var t = Called();
        var ex = Assert.Throws<DomainException>(() => t.MarkNoShow("agent", T0.AddMinutes(8)));
        Assert.Contains("Vuelva a llamar", ex.Message);
        t.Recall("agent", T0.AddMinutes(8));
        t.MarkNoShow("agent", T0.AddMinutes(9));
        Assert.Equal(TicketStatus.NoShow, t.Status);
    }

    [Fact]
    public void Cannot_complete_before_starting_or_act_on_another_agents_ticket()
    {
        var t = Called();
        Assert.Throws<DomainException>(() => t.Complete("agent", T0, null));
        Assert.Throws<DomainException>(() => t.Start("other-agent", T0));
        Assert.Equal(TicketStatus.Called, t.Status);
    }

    [Fact]
    public void Transfer_returns_to_waiting_in_the_new_service_keeping_issue_time()
    {
        var t = Called();
        t.Start("agent", T0.AddMinutes(6));
        t.Transfer("agent", serviceId: 2, targetCounterId: 5, T0.AddMinutes(7));
        Assert.Equal(TicketStatus.Waiting, t.Status);
        Assert.Equal(2, t.ServiceId);
        Assert.Equal(5, t.TargetCounterId);
        Assert.Equal(T0, t.IssuedAt);
        Assert.Null(t.CounterId);
        Assert.Null(t.AgentId);
        Assert.Equal(0, t.CallCount);
    }

    [Fact]
    public void Transfer_to_the_same_service_without_a_counter_is_refused()
    {
        var t = Called();
        Assert.Throws<DomainException>(() => t.Transfer("agent", serviceId: 1, targetCounterId: null, T0.AddMinutes(7)));
    }

    [Fact]
    public void Completed_ticket_cannot_expire_or_be_recalled()
    {
        var t = Called();
        t.Start("agent", T0);
        t.Complete("agent", T0, null);
        Assert.Throws<DomainException>(() => t.Expire(T0));
        Assert.Throws<DomainException>(() => t.Recall("agent", T0));
    }

    [Theory]
    [InlineData("A", 1, "A-001")]
    [InlineData("B", 12, "B-012")]
    [InlineData("CX", 999, "CX-999")]
    [InlineData("A", 1000, "A-1000")]
    public void Numbers_are_prefix_and_three_digits(string prefix, int sequence, string expected) =>
        Assert.Equal(expected, Ticket.FormatNumber(prefix, sequence));
}
