using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Customers;

namespace TurnoDigital.Core.Persistence.Configurations;

class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(x => x.Phone).HasMaxLength(Customer.PhoneMax);
        b.Property(x => x.DocumentNumber).HasMaxLength(Customer.DocumentMax);
        b.Property(x => x.FullName).HasMaxLength(Customer.NameMax);
        b.Property(x => x.Email).HasMaxLength(Customer.EmailMax);
        b.HasIndex(x => x.Phone);
        b.HasIndex(x => new { x.DocumentType, x.DocumentNumber });
        b.HasMany(x => x.Consents).WithOne().HasForeignKey(x => x.CustomerId);
    }
}

class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.Property(x => x.Purpose).HasMaxLength(ConsentRecord.PurposeMax);
        b.Property(x => x.TextVersion).HasMaxLength(ConsentRecord.VersionMax);
    }
}
