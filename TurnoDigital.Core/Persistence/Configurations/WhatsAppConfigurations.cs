using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Persistence.Configurations;

class WebhookInboxItemConfiguration : IEntityTypeConfiguration<WebhookInboxItem>
{
    public void Configure(EntityTypeBuilder<WebhookInboxItem> b)
    {
        b.Property(x => x.Error).HasMaxLength(OutboxMessage.ErrorMax);
        b.HasIndex(x => x.ProcessedAt);
    }
}

class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> b)
    {
        b.Property(x => x.WaMessageId).HasMaxLength(128);
        b.Property(x => x.From).HasMaxLength(InboundMessage.WaIdMax);
        b.Property(x => x.Type).HasMaxLength(InboundMessage.TypeMax);
        b.Property(x => x.Text).HasMaxLength(InboundMessage.TextMax);
        b.Property(x => x.ReplyId).HasMaxLength(InboundMessage.ReplyIdMax);
        // Meta delivers at least once: the second copy of a message fails this index and is ignored.
        b.HasIndex(x => x.WaMessageId).IsUnique();
        b.HasIndex(x => new { x.From, x.ReceivedAt });
        b.HasIndex(x => x.ReceivedAt);
        b.HasIndex(x => x.CustomerId);
    }
}

class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(x => x.DedupeKey).HasMaxLength(OutboxMessage.DedupeKeyMax);
        b.Property(x => x.To).HasMaxLength(InboundMessage.WaIdMax);
        b.Property(x => x.Content).HasMaxLength(OutboxMessage.ContentMax);
        b.Property(x => x.WaMessageId).HasMaxLength(128);
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

class WhatsAppContactConfiguration : IEntityTypeConfiguration<WhatsAppContact>
{
    public void Configure(EntityTypeBuilder<WhatsAppContact> b)
    {
        b.HasKey(x => x.WaId);
        b.Property(x => x.WaId).HasMaxLength(InboundMessage.WaIdMax);
        b.Property(x => x.State).HasMaxLength(WhatsAppContact.StateMax);
        b.Property(x => x.Data).HasMaxLength(WhatsAppContact.DataMax);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

class MessageTextConfiguration : IEntityTypeConfiguration<MessageText>
{
    public void Configure(EntityTypeBuilder<MessageText> b)
    {
        b.HasKey(x => x.Kind);
        b.Property(x => x.Body).HasMaxLength(MessageText.BodyMax);
        b.Property(x => x.TemplateName).HasMaxLength(MessageText.TemplateMax);
        b.Property(x => x.TemplateLanguage).HasMaxLength(MessageText.LanguageMax);
    }
}
