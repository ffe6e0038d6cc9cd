using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> b)
    {
        b.Property(x => x.Name).HasMaxLength(Branch.NameMax);
        b.Property(x => x.TimeZoneId).HasMaxLength(Branch.TimeZoneMax);
        b.Property(x => x.Address).HasMaxLength(Branch.AddressMax);
        b.HasIndex(x => x.Name).IsUnique();
        b.Ignore(x => x.Zone);
        b.HasMany(x => x.Hours).WithOne().HasForeignKey(x => x.BranchId);
        b.HasMany(x => x.ClosedDates).WithOne().HasForeignKey(x => x.BranchId);
    }
}

class ClosedDateConfiguration : IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<ClosedDate> b)
    {
        b.Property(x => x.Reason).HasMaxLength(ClosedDate.ReasonMax);
        b.HasIndex(x => new { x.BranchId, x.Date }).IsUnique();
    }
}
