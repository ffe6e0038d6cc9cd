using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Audit;

/// <summary>Who changed what and when: every admin change and every sensitive action. Append-only.</summary>
public class AuditEntry
{
    public const int ActionMax = 60, EntityMax = 60, EntityIdMax = 64, ActorMax = 256, DetailsMax = 2000;

    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The staff user's id, or a device/API key description; null for the system (jobs).</summary>
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    /// <summary>Stable verb, one of <see cref="AuditActions"/>, e.g. "ticket.transferred".</summary>
    public string Action { get; set; } = "";
    public string Entity { get; set; } = "";
    public string? EntityId { get; set; }
    public int? BranchId { get; set; }
    /// <summary>Short JSON of what changed; never secrets (passwords, API keys) and no more personal data than needed.</summary>
    public string? Details { get; set; }
}

public static class AuditLog
{
    /// <summary>Adds an entry to the context; it is saved with the change it records.</summary>
    public static void Add(TurnoDbContext db, DateTime at, string? actorId, string? actorName, string action, string entity, object? entityId,
        int? branchId = null, object? details = null)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = at, ActorId = actorId, ActorName = actorName, Action = action, Entity = entity, EntityId = entityId?.ToString(),
            BranchId = branchId, Details = AuditDetails.Serialize(details),
        });
    }
}
