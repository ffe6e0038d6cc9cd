using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Common;
using TurnoDigital.Web.Localization;

namespace TurnoDigital.Web.Security;

/// <summary>
/// Limits for actions that travel over a Blazor circuit instead of an HTTP request, so the HTTP
/// rate limiter never sees them: tickets issued per kiosk, and /book and /fila submissions per client IP.
/// </summary>
public sealed class CircuitLimits(IOptionsMonitor<RateLimits.Settings> options) : IDisposable
{
    public enum Policy { KioskTickets, PublicSubmissions }

    readonly PartitionedRateLimiter<(Policy, string)> limiter = PartitionedRateLimiter.Create<(Policy Policy, string Key), (Policy, string)>(k =>
        RateLimitPartition.GetFixedWindowLimiter(k, _ =>
        {
            var w = k.Policy == Policy.KioskTickets ? options.CurrentValue.KioskTickets : options.CurrentValue.PublicSubmissions;
            return new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, w.PermitLimit), Window = TimeSpan.FromSeconds(Math.Max(1, w.WindowSeconds)), QueueLimit = 0 };
        }));

    /// <summary>Throws the clear Spanish (or English) message the screen shows when the limit is reached.</summary>
    public void Acquire(Policy policy, string key)
    {
        using var lease = limiter.AttemptAcquire((policy, key));
        if (!lease.IsAcquired) throw new TooManyRequestsException();
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
