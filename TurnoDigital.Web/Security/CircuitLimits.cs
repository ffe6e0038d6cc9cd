using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Common;
using TurnoDigital.Web.Localization;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Limits for actions that travel over a Blazor circuit instead of an HTTP request, so the HTTP
/// rate limiter never sees them: tickets issued per kiosk, /book and /fila submissions per client IP, and look-ups by
/// secret code (/cita, /t) made by navigating inside a circuit (the "Public" window, as for the HTTP requests).
/// </summary>
public sealed class CircuitLimits(IOptionsMonitor<RateLimits.Settings> options) : IDisposable
{
    public enum Policy { KioskTickets, PublicSubmissions, Lookups }

    readonly PartitionedRateLimiter<(Policy, string)> limiter = PartitionedRateLimiter.Create<(Policy Policy, string Key), (Policy, string)>(k =>
        RateLimitPartition.GetFixedWindowLimiter(k, _ =>
        {
            var w = k.Policy switch
            {
                Policy.KioskTickets => options.CurrentValue.KioskTickets,
                Policy.Lookups => options.CurrentValue.Public,
                _ => options.CurrentValue.PublicSubmissions,
            };
            return new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, w.PermitLimit), Window = TimeSpan.FromSeconds(Math.Max(1, w.WindowSeconds)), QueueLimit = 0 };
        }));

    /// <summary>Throws the clear Spanish (or English) message the screen shows when the limit is reached.</summary>
    public void Acquire(Policy policy, string key)
    {
        using var lease = limiter.AttemptAcquire((policy, key));
        if (!lease.IsAcquired) throw new TooManyRequestsException();
    }

    /// <summary>False when over the limit: a look-up then answers "not found" (and "try later"), never whether the code exists.</summary>
    public bool TryAcquire(Policy policy, string key)
    {
        using var lease = limiter.AttemptAcquire((policy, key));
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>Over a circuit limit; screens with their own language (the kiosk) read it with <see cref="DomainException.MessageFor"/>.</summary>
public sealed class TooManyRequestsException() : DomainException("Circuit.TooManyRequests");

/// <summary>Who is on the other end of this circuit, as a rate-limit key: the client IP, else the circuit itself.</summary>
public sealed class CircuitClient(IHttpContextAccessor http)
{
    public string Key { get; } = http.HttpContext?.Connection.RemoteIpAddress is { } ip ? "ip:" + ip : "circuit:" + Guid.NewGuid().ToString("N");
}
