using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Privacy;

namespace TurnoDigital.Core.Persistence.Configurations;

class CustomerContactConfiguration : IEntityTypeConfiguration<CustomerContact>
{
    public void Configure(EntityTypeBuilder<CustomerContact> b)
    {
        b.Property(x => x.Value).HasMaxLength(CustomerContact.ValueMax);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CustomerId, x.Kind, x.Value }).IsUnique();
        // Erasure and export look people up by a number they once had.
        b.HasIndex(x => new { x.Kind, x.Value });
    }
}

class SuppressedNumberConfiguration : IEntityTypeConfiguration<SuppressedNumber>
{
    public void Configure(EntityTypeBuilder<SuppressedNumber> b)
    {
        b.HasKey(x => x.Hash);
        b.Property(x => x.Hash).HasMaxLength(SuppressedNumber.HashMax);
        b.Property(x => x.Reason).HasMaxLength(SuppressedNumber.ReasonMax);
    }
}
