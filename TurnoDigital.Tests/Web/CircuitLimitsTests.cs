using TurnoDigital.Tests.Support;
using TurnoDigital.Web.Security;

namespace TurnoDigital.Tests.Web;

/// <summary>What travels over the circuit (kiosk tickets, /book and /fila submissions) has its own limits, per kiosk and per client.</summary>
public class CircuitLimitsTests
{
    [Fact]
    public void Each_kiosk_and_each_client_has_its_own_budget_and_the_refusal_is_a_clear_message()
    {
        using var limits = new CircuitLimits(new FixedOptions<RateLimits.Settings>(new RateLimits.Settings
        {
            KioskTickets = new() { PermitLimit = 2 },
            PublicSubmissions = new() { PermitLimit = 1 },
        }));
        limits.Acquire(CircuitLimits.Policy.KioskTickets, "kiosk:1");
        limits.Acquire(CircuitLimits.Policy.KioskTickets, "kiosk:1");
        var refused = Assert.Throws<TooManyRequestsException>(() => limits.Acquire(CircuitLimits.Policy.KioskTickets, "kiosk:1"));
        Assert.Contains("demasiadas solicitudes", refused.Message);
        limits.Acquire(CircuitLimits.Policy.KioskTickets, "kiosk:2");

        limits.Acquire(CircuitLimits.Policy.PublicSubmissions, "ip:10.0.0.1");
        Assert.Throws<TooManyRequestsException>(() => limits.Acquire(CircuitLimits.Policy.PublicSubmissions, "ip:10.0.0.1"));
        limits.Acquire(CircuitLimits.Policy.PublicSubmissions, "ip:10.0.0.2");
        // The same key under the other policy is a separate budget.
        limits.Acquire(CircuitLimits.Policy.KioskTickets, "ip:10.0.0.1");
    }
}
