using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Persistence.Configurations;

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
