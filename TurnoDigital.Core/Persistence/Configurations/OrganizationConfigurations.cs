using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TurnoDigital.Core.Organization;

namespace TurnoDigital.Core.Persistence.Configurations;

class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> b)
    {
        b.Property(x => x.Name).HasMaxLength(Branch.NameMax);
        b.Property(x => x.TimeZoneId).HasMaxLength(Branch.TimeZoneMax);
        b.Property(x => x.Address).HasMaxLength(Branch.AddressMax);
        b.HasIndex(x => x.Name).IsUnique();
        b.Ignore(x => x.Zone);
        b.HasMany(x => x.Hours).WithOne().HasForeignKey(x => x.BranchId);
        b.HasMany(x => x.ClosedDates).WithOne().HasForeignKey(x => x.BranchId);
    }
}

class CounterConfiguration : IEntityTypeConfiguration<Counter>
{
    public void Configure(EntityTypeBuilder<Counter> b)
    {
        b.Property(x => x.Name).HasMaxLength(Counter.NameMax);
        b.HasIndex(x => new { x.BranchId, x.Name }).IsUnique();
        b.HasOne(x => x.Branch).WithMany(x => x.Counters).HasForeignKey(x => x.BranchId);
        b.HasMany(x => x.Services).WithMany(x => x.Counters).UsingEntity("CounterServices");
    }
}

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
    }
}

class ClosedDateConfiguration : IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<ClosedDate> b)
    {
        b.Property(x => x.Reason).HasMaxLength(ClosedDate.ReasonMax);
        b.HasIndex(x => new { x.BranchId, x.Date }).IsUnique();
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

class OrganizationSettingsConfiguration : IEntityTypeConfiguration<OrganizationSettings>
{
    public void Configure(EntityTypeBuilder<OrganizationSettings> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.DisabledPreferentialReasons).HasMaxLength(OrganizationSettings.DisabledReasonsMax);
        b.HasData(new OrganizationSettings());
    }
}

class UserBranchConfiguration : IEntityTypeConfiguration<UserBranch>
{
    public void Configure(EntityTypeBuilder<UserBranch> b)
    {
        b.HasKey(x => new { x.UserId, x.BranchId });
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<Identity.AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}

class AuditEntryConfiguration : IEntityTypeConfiguration<Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Audit.AuditEntry> b)
    {
        b.Property(x => x.ActorId).HasMaxLength(Audit.AuditEntry.ActorMax);
        b.Property(x => x.ActorName).HasMaxLength(Audit.AuditEntry.ActorMax);
        b.Property(x => x.Action).HasMaxLength(Audit.AuditEntry.ActionMax);
        b.Property(x => x.Entity).HasMaxLength(Audit.AuditEntry.EntityMax);
        b.Property(x => x.EntityId).HasMaxLength(Audit.AuditEntry.EntityIdMax);
        b.Property(x => x.Details).HasMaxLength(Audit.AuditEntry.DetailsMax);
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.Action, x.At });
        b.HasIndex(x => new { x.Entity, x.EntityId });
    }
}
