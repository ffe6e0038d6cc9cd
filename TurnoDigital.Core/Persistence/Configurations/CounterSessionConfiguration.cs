using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Persistence.Configurations;

class CounterSessionConfiguration : IEntityTypeConfiguration<CounterSession>
{
    public void Configure(EntityTypeBuilder<CounterSession> b)
    {
        b.Property(x => x.AgentId).HasMaxLength(Identity.AppUser.IdMax);
        b.Property(x => x.PauseReason).HasMaxLength(CounterSession.ReasonMax);
        b.HasIndex(x => new { x.CounterId, x.EndedAt });
        b.HasIndex(x => new { x.BranchId, x.EndedAt });
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.CounterId).OnDelete(DeleteBehavior.Restrict);
    }
}
