using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Persistence.Configurations;

class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.Property(x => x.Number).HasMaxLength(Ticket.NumberMax);
        b.Property(x => x.Code).HasMaxLength(Ticket.CodeMax);
        b.Property(x => x.AgentId).HasMaxLength(Identity.AppUser.IdMax);
        b.Property(x => x.AssignedAgentId).HasMaxLength(Identity.AppUser.IdMax);
        b.Property(x => x.OutcomeNote).HasMaxLength(Ticket.NoteMax);
        b.Property(x => x.IntakeData).HasMaxLength(Appointment.IntakeMax);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Property(x => x.ContactPhone).HasMaxLength(Customer.PhoneMax).HasConversion(v => v!.Value, v => PhoneNumber.FromStored(v));
        b.Property(x => x.ContactName).HasMaxLength(Customer.NameMax);
        b.Property(x => x.ContactEmail).HasMaxLength(Customer.EmailMax).HasConversion(v => v!.Value, v => EmailAddress.FromStored(v));
        // "Mis citas" / "Estado de mi turno" on WhatsApp look records up by the sender's number.
        b.HasIndex(x => x.ContactPhone);
        // Stored as a number so ORDER BY puts Appointment, then Preferential, then Ordinary.
        b.Property(x => x.Priority).HasConversion<int>();
        b.Ignore(x => x.IsOpen);
        // Numbers never repeat within a branch, service and day.
        b.HasIndex(x => new { x.BranchId, x.ServiceDay, x.Number }).IsUnique();
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.RequestId).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Status, x.ServiceId, x.Priority, x.DueAt });
        // A desk's open tickets (Call next asks first whether the agent still holds one): not a scan of the counter's history.
        b.HasIndex(x => new { x.CounterId, x.Status, x.AgentId });
        // The estimator's recent completions of the day, newest first: not a scan and sort of every completion the branch ever had.
        // With the version, it also covers the waiting line's checksum (WaitingLines): ids and versions without reading a row.
        b.HasIndex(x => new { x.BranchId, x.ServiceDay, x.Status, x.ClosedAt, x.Version });
        // Whether anyone in a line left a number (after every call): only tickets with a customer are in it, so a line where
        // nobody did is proved empty in one seek instead of a walk through every waiting ticket.
        b.HasIndex(x => new { x.BranchId, x.ServiceId, x.ServiceDay, x.Status }, "IX_Tickets_WithCustomer").HasFilter("\"CustomerId\" IS NOT NULL");
        b.HasOne(x => x.Appointment).WithMany().HasForeignKey(x => x.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Service>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.CounterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.TargetCounterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Counter>().WithMany().HasForeignKey(x => x.AssignedCounterId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.SetNull);
        // Tickets issued before segments existed are in their first one.
        b.Property(x => x.Segment).HasDefaultValue(1);
        b.HasMany(x => x.Segments).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

class TicketSegmentConfiguration : IEntityTypeConfiguration<TicketSegment>
{
    public void Configure(EntityTypeBuilder<TicketSegment> b)
    {
        b.HasIndex(x => new { x.TicketId, x.Number }).IsUnique();
        b.HasOne<Service>().WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
    }
}

class TicketNumberCounterConfiguration : IEntityTypeConfiguration<TicketNumberCounter>
{
    public void Configure(EntityTypeBuilder<TicketNumberCounter> b)
    {
        b.HasKey(x => new { x.BranchId, x.ServiceId, x.Day });
    }
}
