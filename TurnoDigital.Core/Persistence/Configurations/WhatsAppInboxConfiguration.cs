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
        b.Property(x => x.WaMessageId).HasMaxLength(WhatsAppIds.MessageIdMax);
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
