using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class OrganizationSettingsConfiguration : IEntityTypeConfiguration<OrganizationSettings>
{
    public void Configure(EntityTypeBuilder<OrganizationSettings> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.DisabledPreferentialReasons).HasMaxLength(OrganizationSettings.DisabledReasonsMax);
        b.HasData(new OrganizationSettings());
    }
}
