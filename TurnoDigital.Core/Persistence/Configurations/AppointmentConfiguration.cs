using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<Appointment> b)
    {
        b.Property(x => x.Code).HasMaxLength(Appointment.CodeMax);
        b.Property(x => x.AssignedAgentId).HasMaxLength(Identity.AppUser.IdMax);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.AssignedCounterId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.IntakeData).HasMaxLength(Appointment.IntakeMax);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ContactPhone).HasMaxLength(Customer.PhoneMax).HasConversion(v => v!.Value, v => PhoneNumber.FromStored(v));
        b.Property(x => x.ContactName).HasMaxLength(Customer.NameMax);
        b.Property(x => x.ContactEmail).HasMaxLength(Customer.EmailMax).HasConversion(v => v!.Value, v => EmailAddress.FromStored(v));
        // "Mis citas" / "Estado de mi turno" on WhatsApp look records up by the sender's number.
        b.HasIndex(x => x.ContactPhone);
        b.Ignore(x => x.IsActive);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.RequestId).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Status, x.Start });
        b.HasIndex(x => new { x.CustomerId, x.Status });
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Service>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
    }
}

class AppointmentSlotConfiguration : IEntityTypeConfiguration<AppointmentSlot>
{
    public void Configure(EntityTypeBuilder<AppointmentSlot> b) => b.HasKey(x => new { x.BranchId, x.ServiceId, x.Start });
}
