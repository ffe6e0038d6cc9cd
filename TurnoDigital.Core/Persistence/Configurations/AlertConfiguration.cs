using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Supervision.Alerts;

namespace TurnoDigital.Core.Persistence.Configurations;

class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.Property(x => x.Key).HasMaxLength(Alert.KeyMax);
        b.Property(x => x.OpenKey).HasMaxLength(Alert.KeyMax);
        // One open alert per condition and branch/device: the key is kept only while open.
        b.HasIndex(x => x.OpenKey).IsUnique();
        b.HasIndex(x => x.OpenedAt);
        b.Property(x => x.Detail).HasMaxLength(Alert.DetailMax);
        b.Property(x => x.OwnerId).HasMaxLength(AppUser.IdMax);
        b.Property(x => x.AcknowledgedById).HasMaxLength(AppUser.IdMax);
        b.Property(x => x.AcknowledgedByName).HasMaxLength(Alert.NameMax);
        b.Ignore(x => x.IsOpen);
    }
}

class ChannelOwnerConfiguration : IEntityTypeConfiguration<ChannelOwner>
{
    public void Configure(EntityTypeBuilder<ChannelOwner> b)
    {
        b.Property(x => x.UserId).HasMaxLength(AppUser.IdMax);
        b.HasIndex(x => new { x.BranchId, x.Target });
        b.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}

class AlertThresholdsConfiguration : IEntityTypeConfiguration<AlertThresholds>
{
    public void Configure(EntityTypeBuilder<AlertThresholds> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasData(new AlertThresholds());
    }
}

class HealthTallyConfiguration : IEntityTypeConfiguration<HealthTally>
{
    public void Configure(EntityTypeBuilder<HealthTally> b) => b.HasIndex(x => new { x.Kind, x.Minute }).IsUnique();
}

class TemplateStateConfiguration : IEntityTypeConfiguration<TemplateState>
{
    public void Configure(EntityTypeBuilder<TemplateState> b)
    {
        b.Property(x => x.Name).HasMaxLength(TemplateState.NameMax);
        b.Property(x => x.Language).HasMaxLength(TemplateState.LanguageMax);
        b.Property(x => x.Status).HasMaxLength(TemplateState.StatusMax);
        b.Property(x => x.Reason).HasMaxLength(TemplateState.ReasonMax);
        b.HasIndex(x => new { x.Name, x.Language }).IsUnique();
    }
}
