using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Customers;

namespace TurnoDigital.Core.Persistence.Configurations;

class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(x => x.Phone).HasMaxLength(Customer.PhoneMax)
            .HasConversion(v => v!.Value, v => PhoneNumber.FromStored(v));
        b.Property(x => x.FullName).HasMaxLength(Customer.NameMax);
        b.Property(x => x.Email).HasMaxLength(Customer.EmailMax)
            .HasConversion(v => v!.Value, v => EmailAddress.FromStored(v));
        b.HasIndex(x => x.Phone);
        // Owned rather than a complex type: EF Core 10 cannot index complex-type columns, and customers are looked up by document.
        b.OwnsOne(x => x.Document, d =>
        {
            d.Property(x => x.Type).HasColumnName("DocumentType");
            d.Property(x => x.Number).HasColumnName("DocumentNumber").HasMaxLength(Customer.DocumentMax);
            d.HasIndex(x => new { x.Type, x.Number }).HasDatabaseName("IX_Customers_DocumentType_DocumentNumber");
        });
        b.Navigation(x => x.Document).IsRequired(false);
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
