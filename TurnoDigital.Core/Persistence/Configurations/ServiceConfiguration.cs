using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> b)
    {
        b.Property(x => x.Name).HasMaxLength(Service.NameMax);
        b.Property(x => x.NameEn).HasMaxLength(Service.NameMax);
        b.Property(x => x.Prefix).HasMaxLength(Service.PrefixMax);
        b.HasIndex(x => new { x.BranchId, x.Name }).IsUnique();
        // Ticket numbers are unique per branch and day, so prefixes are unique per branch.
        b.HasIndex(x => new { x.BranchId, x.Prefix }).IsUnique();
        b.HasOne(x => x.Branch).WithMany(x => x.Services).HasForeignKey(x => x.BranchId);
        b.Ignore(x => x.TakesWalkIns);
        b.Ignore(x => x.TakesAppointments);
        b.HasMany(x => x.IntakeFields).WithOne().HasForeignKey(x => x.ServiceId);
        // Existing services get the defaults, not zero.
        b.Property(x => x.ReactivationWindowMinutes).HasDefaultValue(30);
        b.Property(x => x.ReactivateAtOriginalPlace).HasDefaultValue(true);
        b.Property(x => x.AssignedReleaseMinutes).HasDefaultValue(5);
        b.Property(x => x.AgentAssignment).HasDefaultValue(AgentAssignment.None);
    }
}

class IntakeFieldConfiguration : IEntityTypeConfiguration<IntakeField>
{
    public void Configure(EntityTypeBuilder<IntakeField> b)
    {
        b.Property(x => x.Key).HasMaxLength(IntakeField.KeyMax);
        b.Property(x => x.Label).HasMaxLength(IntakeField.LabelMax);
        b.Property(x => x.LabelEn).HasMaxLength(IntakeField.LabelMax);
        b.Property(x => x.Options).HasMaxLength(IntakeField.OptionsMax);
        b.HasIndex(x => new { x.ServiceId, x.Key }).IsUnique();
        b.Ignore(x => x.OptionList);
    }
}
