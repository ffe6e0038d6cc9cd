using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TurnoDigital.Core.Persistence.Configurations;

class AuditEntryConfiguration : IEntityTypeConfiguration<Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Audit.AuditEntry> b)
    {
        b.Property(x => x.ActorId).HasMaxLength(Audit.AuditEntry.ActorMax);
        b.Property(x => x.ActorName).HasMaxLength(Audit.AuditEntry.ActorMax);
        b.Property(x => x.Action).HasMaxLength(Audit.AuditEntry.ActionMax);
        b.Property(x => x.Entity).HasMaxLength(Audit.AuditEntry.EntityMax);
        b.Property(x => x.EntityId).HasMaxLength(Audit.AuditEntry.EntityIdMax);
        b.Property(x => x.Details).HasMaxLength(Audit.AuditEntry.DetailsMax);
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.Action, x.At });
        b.HasIndex(x => new { x.Entity, x.EntityId });
    }
}
