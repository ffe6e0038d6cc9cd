using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> b)
    {
        b.Property(x => x.Name).HasMaxLength(Counter.NameMax);
        b.HasIndex(x => new { x.BranchId, x.Name }).IsUnique();
        b.HasOne(x => x.Branch).WithMany(x => x.Counters).HasForeignKey(x => x.BranchId);
        b.HasMany(x => x.Services).WithMany(x => x.Counters).UsingEntity("CounterServices");
    }
}
