using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Appointments;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Appointments not checked in by the end of their check-in window become no-shows. Idempotent sweeper.</summary>
[DisallowConcurrentExecution]
public sealed class MarkNoShowsJob(BookingService bookings, ILogger<MarkNoShowsJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var marked = await bookings.MarkNoShowsAsync(ct);
        if (marked > 0) log.LogInformation("Marked {Count} appointments as no-show", marked);
    }
}
