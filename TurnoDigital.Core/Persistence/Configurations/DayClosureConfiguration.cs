using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Persistence.Configurations;

class DayClosureConfiguration : IEntityTypeConfiguration<DayClosure>
{
    public void Configure(EntityTypeBuilder<DayClosure> b)
    {
        b.Property(x => x.ClosedById).HasMaxLength(Identity.AppUser.IdMax);
        b.Property(x => x.Reason).HasMaxLength(DayClosure.ReasonMax);
        // One close per branch and day: two supervisors (or a supervisor and the midnight job) cannot both close it.
        b.HasIndex(x => new { x.BranchId, x.Day }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}
