using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Writes the appointment reminders that are due into the outbox. Idempotent sweeper (one dedupe key per reminder).</summary>
[DisallowConcurrentExecution]
public sealed class SendRemindersJob(Reminders reminders, ILogger<SendRemindersJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var written = await reminders.RunRemindersAsync(ct);
        if (written > 0) log.LogInformation("Queued {Count} appointment reminders", written);
    }
}
