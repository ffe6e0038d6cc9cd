using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Journeys;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Persistence;

/// <summary>The one context. Used as is for SQL Server; <see cref="SqliteTurnoDbContext"/> and <see cref="PostgreSqlTurnoDbContext"/> carry their providers' migrations.</summary>
public class TurnoDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public TurnoDbContext(DbContextOptions<TurnoDbContext> options) : base(options) { }
    protected TurnoDbContext(DbContextOptions options) : base(options) { }

    // Changes are detected once before the save interceptors, which then look at entries without scanning every tracked
    // entity again (ChangeTrackerExtensions.Tracked); the save itself detects what the interceptors changed.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.AutoDetectChangesEnabled) ChangeTracker.DetectChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (ChangeTracker.AutoDetectChangesEnabled) ChangeTracker.DetectChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Runs once the context is disposed (back in EF's pool): gives back the connection it was lent.</summary>
    internal Action? AfterDispose { get; set; }

    public override void Dispose()
    {
        var after = AfterDispose;
        AfterDispose = null;
        base.Dispose();
        after?.Invoke();
    }

    public override async ValueTask DisposeAsync()
    {
        var after = AfterDispose;
        AfterDispose = null;
        await base.DisposeAsync();
        after?.Invoke();
    }

    public DbSet<Branch> Branches => Set<Branch>();
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<CustomerContact> CustomerContacts => Set<CustomerContact>();
    public DbSet<Privacy.SuppressedNumber> SuppressedNumbers => Set<Privacy.SuppressedNumber>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketSegment> TicketSegments => Set<TicketSegment>();
    public DbSet<TicketNumberCounter> TicketNumberCounters => Set<TicketNumberCounter>();
    public DbSet<CounterSession> CounterSessions => Set<CounterSession>();
    public DbSet<JourneyEvent> JourneyEvents => Set<JourneyEvent>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OpeningHours> OpeningHours => Set<OpeningHours>();
    public DbSet<ClosedDate> ClosedDates => Set<ClosedDate>();
    public DbSet<IntakeField> IntakeFields => Set<IntakeField>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<AppointmentSlot> AppointmentSlots => Set<AppointmentSlot>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();
    public DbSet<OrganizationSettings> Settings => Set<OrganizationSettings>();
    public DbSet<UserBranch> UserBranches => Set<UserBranch>();
    public DbSet<WhatsApp.WebhookInboxItem> WebhookInbox => Set<WhatsApp.WebhookInboxItem>();
    public DbSet<WhatsApp.InboundMessage> InboundMessages => Set<WhatsApp.InboundMessage>();
    public DbSet<WhatsApp.OutboxMessage> Outbox => Set<WhatsApp.OutboxMessage>();
    public DbSet<WhatsApp.WhatsAppContact> WhatsAppContacts => Set<WhatsApp.WhatsAppContact>();
    public DbSet<WhatsApp.MessageText> MessageTexts => Set<WhatsApp.MessageText>();
    public DbSet<DayClosure> DayClosures => Set<DayClosure>();
    public DbSet<Reporting.DailyAggregate> DailyAggregates => Set<Reporting.DailyAggregate>();
    public DbSet<Reporting.DailyReportFile> DailyReportFiles => Set<Reporting.DailyReportFile>();
    public DbSet<WhatsApp.Transport.SendPermit> SendPermits => Set<WhatsApp.Transport.SendPermit>();
    public DbSet<Supervision.Alerts.Alert> Alerts => Set<Supervision.Alerts.Alert>();
    public DbSet<Supervision.Alerts.ChannelOwner> ChannelOwners => Set<Supervision.Alerts.ChannelOwner>();
    public DbSet<Supervision.Alerts.AlertThresholds> AlertThresholds => Set<Supervision.Alerts.AlertThresholds>();
    public DbSet<Supervision.Alerts.HealthTally> HealthTallies => Set<Supervision.Alerts.HealthTally>();
    public DbSet<Supervision.Alerts.TemplateState> TemplateStates => Set<Supervision.Alerts.TemplateState>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TurnoDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<Enum>().HaveConversion<string>().HaveMaxLength(24);
    }
}

public class SqliteTurnoDbContext(DbContextOptions<SqliteTurnoDbContext> options) : TurnoDbContext(options);

/// <summary>
/// PostgreSQL: DateTime maps to <c>timestamp with time zone</c>, which takes UTC values only. The app stores UTC throughout;
/// values that come back from SQLite-era code paths without a kind (e.g. <c>DateOnly.ToDateTime</c>) are marked UTC here.
/// </summary>
public class PostgreSqlTurnoDbContext(DbContextOptions<PostgreSqlTurnoDbContext> options) : TurnoDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        base.ConfigureConventions(configuration);
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    sealed class UtcDateTimeOffsetConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(), v => v);
}
