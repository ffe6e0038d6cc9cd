using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Persistence.Configurations;

class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(x => x.DedupeKey).HasMaxLength(OutboxMessage.DedupeKeyMax);
        b.Property(x => x.To).HasMaxLength(InboundMessage.WaIdMax);
        b.Property(x => x.Content).HasMaxLength(OutboxMessage.ContentMax);
        b.Property(x => x.WaMessageId).HasMaxLength(WhatsAppIds.MessageIdMax);
        b.Property(x => x.Error).HasMaxLength(OutboxMessage.ErrorMax);
        b.Property(x => x.Status).HasConversion<int>();
        b.HasIndex(x => x.DedupeKey).IsUnique();
        b.HasIndex(x => x.WaMessageId);
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.To, x.CreatedAt });
        b.HasIndex(x => x.CreatedAt);
        b.HasOne(x => x.Appointment).WithMany().HasForeignKey(x => x.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Ticket).WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.CustomerId);
    }
}
