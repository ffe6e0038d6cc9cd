using Microsoft.Extensions.Logging;
using Quartz;
using TurnoDigital.Core.Privacy;

namespace TurnoDigital.Core.Scheduling;

/// <summary>Anonymises personal data past the retention period (Ley 1581). Idempotent sweeper.</summary>
[DisallowConcurrentExecution]
public sealed class AnonymiseExpiredDataJob(PersonalDataService privacy, ILogger<AnonymiseExpiredDataJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var count = await privacy.AnonymiseExpiredAsync(ct);
        if (count > 0) log.LogInformation("Retention anonymised {Count} people", count);
    }
}
