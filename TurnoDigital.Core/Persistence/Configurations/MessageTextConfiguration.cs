using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Persistence.Configurations;

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
