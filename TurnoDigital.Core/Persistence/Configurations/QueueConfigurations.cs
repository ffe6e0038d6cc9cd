using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Persistence.Configurations;

class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.Property(x => x.Number).HasMaxLength(Ticket.NumberMax);
        b.Property(x => x.Code).HasMaxLength(Ticket.CodeMax);
        b.Property(x => x.AgentId).HasMaxLength(450);
        b.Property(x => x.OutcomeNote).HasMaxLength(Ticket.NoteMax);
        b.Property(x => x.IntakeData).HasMaxLength(Appointment.IntakeMax);
        b.Property(x => x.Version).IsConcurrencyToken();
        // Stored as a number so ORDER BY puts Appointment, then Preferential, then Ordinary.
        b.Property(x => x.Priority).HasConversion<int>();
        b.Ignore(x => x.IsOpen);
        // Numbers never repeat within a branch, service and day.
        b.HasIndex(x => new { x.BranchId, x.ServiceDay, x.Number }).IsUnique();
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.RequestId).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Status, x.ServiceId, x.Priority, x.DueAt });
        b.HasOne(x => x.Appointment).WithMany().HasForeignKey(x => x.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Service>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.CounterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.TargetCounterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.SetNull);
    }
}

class TicketNumberCounterConfiguration : IEntityTypeConfiguration<TicketNumberCounter>
{
    public void Configure(EntityTypeBuilder<TicketNumberCounter> b)
    {
        b.HasKey(x => new { x.BranchId, x.ServiceId, x.Day });
    }
}

class CounterSessionConfiguration : IEntityTypeConfiguration<CounterSession>
{
    public void Configure(EntityTypeBuilder<CounterSession> b)
    {
        b.Property(x => x.AgentId).HasMaxLength(450);
        b.Property(x => x.PauseReason).HasMaxLength(CounterSession.ReasonMax);
        b.HasIndex(x => new { x.CounterId, x.EndedAt });
        b.HasIndex(x => new { x.BranchId, x.EndedAt });
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.CounterId).OnDelete(DeleteBehavior.Restrict);
    }
}

class JourneyEventConfiguration : IEntityTypeConfiguration<JourneyEvent>
{
    public void Configure(EntityTypeBuilder<JourneyEvent> b)
    {
        b.Property(x => x.Data).HasMaxLength(JourneyEvent.DataMax);
        b.Property(x => x.ActorId).HasMaxLength(450);
        b.HasOne(x => x.Ticket).WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Appointment).WithMany().HasForeignKey(x => x.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.BranchId, x.At });
    }
}

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

class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.Property(x => x.Name).HasMaxLength(Device.NameMax);
        b.Property(x => x.PairingCodeHash).HasMaxLength(64);
        b.HasIndex(x => x.PairingCodeHash);
        b.Ignore(x => x.IsRevoked);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}

class AppointmentConfiguration : IEntityTypeConfiguration<Appointment>
{
    public void Configure(EntityTypeBuilder<Appointment> b)
    {
        b.Property(x => x.Code).HasMaxLength(Appointment.CodeMax);
        b.Property(x => x.IntakeData).HasMaxLength(Appointment.IntakeMax);
        b.Property(x => x.Version).IsConcurrencyToken();
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

class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(x => x.Name).HasMaxLength(ApiKey.NameMax);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.Property(x => x.Prefix).HasMaxLength(12);
        b.Property(x => x.Scopes).HasMaxLength(100);
        b.HasIndex(x => x.Hash).IsUnique();
        b.Ignore(x => x.ScopeList);
    }
}
