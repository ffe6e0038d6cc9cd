using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Reporting;

namespace TurnoDigital.Core.Persistence.Configurations;

class DailyAggregateConfiguration : IEntityTypeConfiguration<DailyAggregate>
{
    public void Configure(EntityTypeBuilder<DailyAggregate> b)
    {
        b.Ignore(x => x.RatingCounts);
        // The report reads a range of days of some branches; a day is replaced whole.
        b.HasIndex(x => new { x.BranchId, x.Day, x.ServiceId, x.Channel }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}
