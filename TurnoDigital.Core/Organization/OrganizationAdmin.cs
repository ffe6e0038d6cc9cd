using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Audit;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Organization;

/// <summary>Everything an admin sets on a service (issue: schedulable vs walk-in, booking rules, SLA).</summary>
public sealed class ServiceSettings
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? NameEn { get; set; }
    public string Prefix { get; set; } = "";
    public ServiceMode Mode { get; set; }
    public bool IsActive { get; set; } = true;
    public int SlotMinutes { get; set; }
    public int CapacityPerSlot { get; set; }
    public int MinNoticeMinutes { get; set; }
    public int MaxDaysAhead { get; set; }
    public int TargetWaitMinutes { get; set; }
    public int TargetServiceLevelPercent { get; set; } = 80;
    public int DefaultServiceMinutes { get; set; }
    public int CheckInEarlyMinutes { get; set; }
    public int CheckInLateMinutes { get; set; }
    public int MaxActiveBookingsPerPerson { get; set; }
    public int AppointmentsFromMinute { get; set; }
    public int AppointmentsToMinute { get; set; } = 1440;
    public bool AllowsRemoteTickets { get; set; }
    public int RemoteTicketCap { get; set; } = 20;
    public RemoteArrivalRule RemoteArrival { get; set; }
    public int RemoteFairnessMinutes { get; set; } = 60;
    public int ReactivationWindowMinutes { get; set; } = 30;
    public bool ReactivateAtOriginalPlace { get; set; } = true;
    public bool AppointmentsAfterPreferential { get; set; }
    public int OrdinaryAfterPreferentialCalls { get; set; }
    public AgentAssignment AgentAssignment { get; set; }
    public int AssignedReleaseMinutes { get; set; } = 5;

    public static ServiceSettings From(Service s) => new()
    {
        Id = s.Id, Name = s.Name, NameEn = s.NameEn, Prefix = s.Prefix, Mode = s.Mode, IsActive = s.IsActive, SlotMinutes = s.SlotMinutes,
        CapacityPerSlot = s.CapacityPerSlot, MinNoticeMinutes = s.MinNoticeMinutes, MaxDaysAhead = s.MaxDaysAhead, TargetWaitMinutes = s.TargetWaitMinutes,
        TargetServiceLevelPercent = s.TargetServiceLevelPercent,
        DefaultServiceMinutes = s.DefaultServiceMinutes, CheckInEarlyMinutes = s.CheckInEarlyMinutes, CheckInLateMinutes = s.CheckInLateMinutes,
        MaxActiveBookingsPerPerson = s.MaxActiveBookingsPerPerson, AppointmentsFromMinute = s.AppointmentsFromMinute, AppointmentsToMinute = s.AppointmentsToMinute,
        AllowsRemoteTickets = s.AllowsRemoteTickets, RemoteTicketCap = s.RemoteTicketCap, RemoteArrival = s.RemoteArrival, RemoteFairnessMinutes = s.RemoteFairnessMinutes,
        ReactivationWindowMinutes = s.ReactivationWindowMinutes, ReactivateAtOriginalPlace = s.ReactivateAtOriginalPlace,
        AppointmentsAfterPreferential = s.AppointmentsAfterPreferential, OrdinaryAfterPreferentialCalls = s.OrdinaryAfterPreferentialCalls,
        AgentAssignment = s.AgentAssignment, AssignedReleaseMinutes = s.AssignedReleaseMinutes,
    };

    /// <summary>Spanish messages per field; empty when valid.</summary>
    public Dictionary<string, string> Validate()
    {
        var e = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > Service.NameMax) e[nameof(Name)] = "El nombre es obligatorio (máximo 100 caracteres).";
        if (!System.Text.RegularExpressions.Regex.IsMatch(Prefix ?? "", "^[A-Z]{1,3}$")) e[nameof(Prefix)] = "El prefijo debe tener de 1 a 3 letras mayúsculas sin tilde (A, B, CX).";
        void Range(string field, int value, int min, int max, string what) { if (value < min || value > max) e[field] = $"{what} debe estar entre {min} y {max}."; }
        Range(nameof(SlotMinutes), SlotMinutes, 5, 240, "La duración de la cita (minutos)");
        Range(nameof(CapacityPerSlot), CapacityPerSlot, 1, 100, "La capacidad por horario");
        Range(nameof(MinNoticeMinutes), MinNoticeMinutes, 0, 10080, "La anticipación mínima (minutos)");
        Range(nameof(MaxDaysAhead), MaxDaysAhead, 1, 365, "Los días máximos de anticipación");
        Range(nameof(TargetWaitMinutes), TargetWaitMinutes, 1, 480, "La espera objetivo (minutos)");
        Range(nameof(TargetServiceLevelPercent), TargetServiceLevelPercent, 50, 99, "El nivel de servicio objetivo (%)");
        Range(nameof(DefaultServiceMinutes), DefaultServiceMinutes, 1, 480, "El tiempo de atención por defecto (minutos)");
        Range(nameof(CheckInEarlyMinutes), CheckInEarlyMinutes, 0, 240, "La llegada anticipada (minutos)");
        Range(nameof(CheckInLateMinutes), CheckInLateMinutes, 0, 240, "La tolerancia de retraso (minutos)");
        Range(nameof(MaxActiveBookingsPerPerson), MaxActiveBookingsPerPerson, 1, 20, "Las citas activas por persona");
        Range(nameof(RemoteTicketCap), RemoteTicketCap, 1, 500, "El máximo de turnos a distancia en espera");
        Range(nameof(RemoteFairnessMinutes), RemoteFairnessMinutes, 0, 480, "El tiempo para conservar el lugar al llegar (minutos)");
        Range(nameof(ReactivationWindowMinutes), ReactivationWindowMinutes, 0, 480, "El plazo para reactivar un turno ausente (minutos)");
        Range(nameof(OrdinaryAfterPreferentialCalls), OrdinaryAfterPreferentialCalls, 0, Service.MaxOrdinaryAfterPreferentialCalls,
            "Las llamadas preferenciales seguidas antes de un turno general (0 = sin regla)");
        Range(nameof(AssignedReleaseMinutes), AssignedReleaseMinutes, 0, Service.MaxAssignedReleaseMinutes, "La espera por el asesor asignado (minutos)");
        if (!Enum.IsDefined(Mode)) e[nameof(Mode)] = "Elija una modalidad válida (sin cita, con cita o ambas).";
        if (!Enum.IsDefined(RemoteArrival)) e[nameof(RemoteArrival)] = "Elija una regla de llegada válida.";
        if (!Enum.IsDefined(AgentAssignment)) e[nameof(AgentAssignment)] = "Elija una forma de asignar asesor válida.";
        if (AppointmentsFromMinute < 0 || AppointmentsToMinute > 1440 || AppointmentsToMinute <= AppointmentsFromMinute)
            e[nameof(AppointmentsToMinute)] = "El horario de citas debe terminar después de empezar, dentro del día.";
        return e;
    }
}

/// <summary>Admin changes to branches and services; they take effect at once (every query reads the database).</summary>
public sealed partial class OrganizationAdmin(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, PublicLinks links)
{
    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Only the settings that changed, old and new, so the audit trail stays short.</summary>
    static Dictionary<string, object?[]> Changes(ServiceSettings before, ServiceSettings after) =>
        typeof(ServiceSettings).GetProperties().Where(p => p.Name != nameof(ServiceSettings.Id))
            .Select(p => (p.Name, Old: p.GetValue(before), New: p.GetValue(after)))
            .Where(c => !Equals(c.Old, c.New)).ToDictionary(c => c.Name, c => new[] { c.Old, c.New });

    public async Task<IReadOnlyList<Service>> ServicesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Services.AsNoTracking().Include(s => s.Branch).Include(s => s.IntakeFields)
            .OrderBy(s => s.BranchId).ThenBy(s => s.Prefix).ToListAsync(ct);
    }

    public Task UpdateServiceAsync(ServiceSettings settings, string? actorId = null, CancellationToken ct = default) =>
        UpdateServiceAsync(settings, BookingDecision.Keep, actorId, ct);

    /// <summary>
    /// A new service of the branch with the model's defaults (walk-in unless <paramref name="mode"/> says otherwise), checked like an
    /// update; the admin tunes the rest in the service dialog. Returns its id.
    /// </summary>
    public async Task<int> CreateServiceAsync(int branchId, string name, string prefix, ServiceMode mode = ServiceMode.WalkIn, string? actorId = null,
        CancellationToken ct = default)
    {
        var service = new Service { BranchId = branchId, Name = (name ?? "").Trim(), Prefix = (prefix ?? "").Trim().ToUpperInvariant(), Mode = mode };
        ThrowIfInvalid(ServiceSettings.From(service));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new DomainException("Branch.NotFound");
        await EnsurePrefixFreeAsync(db, branchId, 0, service.Prefix, ct);
        db.Services.Add(service);
        // As for a branch: the audit entry needs the id, so both saves share one transaction.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.ServiceCreated, "Service", service.Id, branchId,
            new { service.Name, service.Prefix, Mode = service.Mode.ToString() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return service.Id;
    }

    static void ThrowIfInvalid(ServiceSettings settings)
    {
        var errors = settings.Validate();
        if (errors.Count > 0) throw new DomainException("Validation.Errors", string.Join(" ", errors.Values));
    }

    static async Task EnsurePrefixFreeAsync(TurnoDbContext db, int branchId, int serviceId, string prefix, CancellationToken ct)
    {
        if (await db.Services.AnyAsync(o => o.BranchId == branchId && o.Id != serviceId && o.Prefix == prefix, ct))
            throw new DomainException("Service.PrefixTaken", prefix);
    }

    /// <summary>Saves the settings; <paramref name="decision"/> says what happens to the bookings new appointment hours or slot length leave out.</summary>
    public async Task UpdateServiceAsync(ServiceSettings settings, BookingDecision decision, string? actorId = null, CancellationToken ct = default)
    {
        ThrowIfInvalid(settings);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await db.Services.FindAsync([settings.Id], ct) ?? throw new DomainException("Service.NotFound");
        var affected = await AffectedByServiceAsync(db, s, settings, ct);
        await EnsurePrefixFreeAsync(db, s.BranchId, s.Id, settings.Prefix, ct);
        var before = ServiceSettings.From(s);
        (s.Name, s.NameEn, s.Prefix, s.Mode, s.IsActive) = (settings.Name.Trim(), string.IsNullOrWhiteSpace(settings.NameEn) ? null : settings.NameEn.Trim(), settings.Prefix, settings.Mode, settings.IsActive);
        (s.SlotMinutes, s.CapacityPerSlot, s.MinNoticeMinutes, s.MaxDaysAhead) = (settings.SlotMinutes, settings.CapacityPerSlot, settings.MinNoticeMinutes, settings.MaxDaysAhead);
        (s.TargetWaitMinutes, s.DefaultServiceMinutes, s.CheckInEarlyMinutes, s.CheckInLateMinutes) = (settings.TargetWaitMinutes, settings.DefaultServiceMinutes, settings.CheckInEarlyMinutes, settings.CheckInLateMinutes);
        s.TargetServiceLevelPercent = settings.TargetServiceLevelPercent;
        (s.MaxActiveBookingsPerPerson, s.AppointmentsFromMinute, s.AppointmentsToMinute) = (settings.MaxActiveBookingsPerPerson, settings.AppointmentsFromMinute, settings.AppointmentsToMinute);
        (s.AllowsRemoteTickets, s.RemoteTicketCap, s.RemoteArrival, s.RemoteFairnessMinutes) = (settings.AllowsRemoteTickets, settings.RemoteTicketCap, settings.RemoteArrival, settings.RemoteFairnessMinutes);
        (s.ReactivationWindowMinutes, s.ReactivateAtOriginalPlace) = (settings.ReactivationWindowMinutes, settings.ReactivateAtOriginalPlace);
        (s.AppointmentsAfterPreferential, s.OrdinaryAfterPreferentialCalls) = (settings.AppointmentsAfterPreferential, settings.OrdinaryAfterPreferentialCalls);
        (s.AgentAssignment, s.AssignedReleaseMinutes) = (settings.AgentAssignment, settings.AssignedReleaseMinutes);
        AuditLog.Add(db, Now, actorId, null, AuditActions.ServiceUpdated, "Service", s.Id, s.BranchId, Changes(before, ServiceSettings.From(s)));
        if (affected.Count > 0)
            await ScheduleChangeBookings.DecideAsync(db, (await LoadBranchAsync(db, s.BranchId, ct))!, ScheduleChangeBookings.ServiceHours, affected, decision, links, Now, actorId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Replaces a service's intake definition: the fields every channel collects.</summary>
    public async Task SetIntakeFieldsAsync(int serviceId, IReadOnlyList<IntakeField> fields, string? actorId = null, CancellationToken ct = default)
    {
        var keys = fields.Select(f => f.Key.Trim()).ToList();
        if (keys.Any(k => !System.Text.RegularExpressions.Regex.IsMatch(k, "^[a-zA-Z][a-zA-Z0-9]{0,39}$")))
            throw new DomainException("Intake.KeyFormat");
        if (keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() != keys.Count) throw new DomainException("Intake.DuplicateKey");
        if (fields.Any(f => string.IsNullOrWhiteSpace(f.Label) || f.Label.Length > IntakeField.LabelMax)) throw new DomainException("Intake.LabelRequired");
        if (fields.Any(f => f.Kind == IntakeFieldKind.Choice && f.OptionList.Count < 2)) throw new DomainException("Intake.ChoiceNeedsOptions");
        if (!fields.Any(f => f.Kind == IntakeFieldKind.Document && f.Required))
            throw new DomainException("Intake.DocumentMustBeRequired");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var service = await db.Services.Include(s => s.IntakeFields).FirstOrDefaultAsync(s => s.Id == serviceId, ct) ?? throw new DomainException("Service.NotFound");
        service.IntakeFields.Clear();
        var order = 1;
        foreach (var f in fields)
            service.IntakeFields.Add(new IntakeField
            {
                Key = f.Key.Trim(), Kind = f.Kind, Label = f.Label.Trim(), LabelEn = f.LabelEn?.Trim(), Required = f.Required, Order = order++,
                MaxLength = Math.Clamp(f.MaxLength, 1, 500), Options = f.Kind == IntakeFieldKind.Choice ? string.Join('|', f.OptionList) : null,
            });
        AuditLog.Add(db, Now, actorId, null, AuditActions.IntakeReplaced, "Service", service.Id, service.BranchId,
            new { fields = service.IntakeFields.Select(f => new { f.Key, kind = f.Kind.ToString(), f.Required }) });
        await db.SaveChangesAsync(ct);
    }

    public async Task<Branch?> BranchAsync(int branchId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Branches.AsNoTracking().Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct);
    }

    /// <summary>Replaces the weekly hours and the holiday rule; intervals of a day may not overlap.</summary>
    public Task SetHoursAsync(int branchId, IReadOnlyList<OpeningHours> hours, bool observesHolidays, string? actorId = null, CancellationToken ct = default) =>
        SetHoursAsync(branchId, hours, observesHolidays, BookingDecision.Keep, actorId, ct);

    /// <summary>As above; <paramref name="decision"/> says what happens to the bookings the new hours leave out.</summary>
    public async Task SetHoursAsync(int branchId, IReadOnlyList<OpeningHours> hours, bool observesHolidays, BookingDecision decision, string? actorId = null,
        CancellationToken ct = default)
    {
        ValidateHours(hours);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var branch = await db.Branches.Include(b => b.Hours).Include(b => b.ClosedDates).FirstOrDefaultAsync(b => b.Id == branchId, ct)
            ?? throw new DomainException("Branch.NotFound");
        var affected = await AffectedByHoursAsync(db, branch, hours, observesHolidays, ct);
        branch.Hours.Clear();
        branch.Hours.AddRange(hours.Select(h => new OpeningHours { Day = h.Day, OpensAtMinute = h.OpensAtMinute, ClosesAtMinute = h.ClosesAtMinute }));
        branch.ObservesNationalHolidays = observesHolidays;
        AuditLog.Add(db, Now, actorId, null, AuditActions.HoursSet, "Branch", branch.Id, branch.Id,
            new { hours = hours.Select(h => $"{h.Day} {h.OpensAtMinute}-{h.ClosesAtMinute}"), observesHolidays });
        await ScheduleChangeBookings.DecideAsync(db, branch, ScheduleChangeBookings.Hours, affected, decision, links, Now, actorId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    static void ValidateHours(IReadOnlyList<OpeningHours> hours)
    {
        foreach (var day in hours.GroupBy(h => h.Day))
        {
            var ordered = day.OrderBy(h => h.OpensAtMinute).ToList();
            if (ordered.Any(h => h.OpensAtMinute < 0 || h.ClosesAtMinute > 1440 || h.ClosesAtMinute <= h.OpensAtMinute))
                throw new DomainException("Hours.CloseAfterOpen");
            if (ordered.Zip(ordered.Skip(1)).Any(p => p.Second.OpensAtMinute < p.First.ClosesAtMinute))
                throw new DomainException("Hours.Overlap");
        }
    }

    /// <summary>Name, time zone (IANA, e.g. America/Bogota) and the address shown to people in messages.</summary>
    public async Task UpdateBranchAsync(int branchId, string name, string timeZoneId, string? address, string? actorId = null, CancellationToken ct = default)
    {
        (name, timeZoneId, address) = BranchDetails(name, timeZoneId, address);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.FirstOrDefaultAsync(b => b.Id == branchId, ct) ?? throw new DomainException("Branch.NotFound");
        await EnsureBranchNameFreeAsync(db, branchId, name, ct);
        var before = new { branch.Name, branch.TimeZoneId, branch.Address };
        (branch.Name, branch.TimeZoneId, branch.Address) = (name, timeZoneId, address);
        AuditLog.Add(db, Now, actorId, null, AuditActions.BranchUpdated, "Branch", branch.Id, branch.Id, new { before, after = new { name, timeZoneId, address } });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A new branch, open Monday to Friday 08:00–17:00 and closed on Colombian holidays until the admin sets its hours; returns its id.
    /// The save invalidates the configuration cache on every node, so pickers list it at once.
    /// </summary>
    public async Task<int> CreateBranchAsync(string name, string timeZoneId, string? address, string? actorId = null, CancellationToken ct = default)
    {
        (name, timeZoneId, address) = BranchDetails(name, timeZoneId, address);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EnsureBranchNameFreeAsync(db, 0, name, ct);
        var branch = new Branch
        {
            Name = name, TimeZoneId = timeZoneId, Address = address,
            Hours = [.. Enumerable.Range((int)DayOfWeek.Monday, 5).Select(d => new OpeningHours { Day = (DayOfWeek)d, OpensAtMinute = 8 * 60, ClosesAtMinute = 17 * 60 })],
        };
        db.Branches.Add(branch);
        // The id exists only after the insert: one transaction keeps the branch and its audit entry together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, Now, actorId, null, AuditActions.BranchCreated, "Branch", branch.Id, branch.Id, new { name, timeZoneId, address });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return branch.Id;
    }

    /// <summary>The branch details trimmed and checked, as both create and update take them.</summary>
    static (string Name, string TimeZoneId, string? Address) BranchDetails(string name, string timeZoneId, string? address)
    {
        name = (name ?? "").Trim();
        timeZoneId = (timeZoneId ?? "").Trim();
        address = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        if (name.Length is 0 or > Branch.NameMax) throw new DomainException("Branch.NameRequired");
        if (address is { Length: > Branch.AddressMax }) throw new DomainException("Branch.AddressTooLong");
        if (timeZoneId.Length is 0 or > Branch.TimeZoneMax || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out _))
            throw new DomainException("Branch.BadTimeZone");
        return (name, timeZoneId, address);
    }

    static async Task EnsureBranchNameFreeAsync(TurnoDbContext db, int branchId, string name, CancellationToken ct)
    {
        if (await db.Branches.AnyAsync(b => b.Id != branchId && b.Name == name, ct)) throw new DomainException("Branch.NameTaken");
    }

    public Task AddClosedDateAsync(int branchId, DateOnly date, string? reason, string? actorId = null, CancellationToken ct = default) =>
        AddClosedDateAsync(branchId, date, reason, BookingDecision.Keep, actorId, ct);

    /// <summary>Closes the branch on <paramref name="date"/>; <paramref name="decision"/> says what happens to that day's bookings.</summary>
    public async Task AddClosedDateAsync(int branchId, DateOnly date, string? reason, BookingDecision decision, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.ClosedDates.AnyAsync(c => c.BranchId == branchId && c.Date == date, ct)) throw new DomainException("Branch.DateAlreadyClosed");
        var branch = await LoadBranchAsync(db, branchId, ct) ?? throw new DomainException("Branch.NotFound");
        var affected = await AffectedByClosedDateAsync(db, branch, date, ct);
        var closed = new ClosedDate { BranchId = branchId, Date = date, Reason = reason?.Trim() is { Length: > 0 } r ? r[..Math.Min(r.Length, ClosedDate.ReasonMax)] : null };
        db.ClosedDates.Add(closed);
        AuditLog.Add(db, Now, actorId, null, AuditActions.ClosedDateAdded, "Branch", branchId, branchId, new { date = date.ToString("yyyy-MM-dd"), closed.Reason });
        await ScheduleChangeBookings.DecideAsync(db, branch, ScheduleChangeBookings.ClosedDate, affected, decision, links, Now, actorId, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task RemoveClosedDateAsync(int closedDateId, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Tracked delete instead of ExecuteDelete so the audit entry is saved in the same SaveChanges.
        var closed = await db.ClosedDates.FirstOrDefaultAsync(c => c.Id == closedDateId, ct);
        if (closed is null) return;
        db.ClosedDates.Remove(closed);
        AuditLog.Add(db, Now, actorId, null, AuditActions.ClosedDateRemoved, "Branch", closed.BranchId, closed.BranchId, new { date = closed.Date.ToString("yyyy-MM-dd") });
        await db.SaveChangesAsync(ct);
    }

    public async Task<OrganizationSettings> SettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Settings.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct) ?? new OrganizationSettings();
    }

    /// <summary>
    /// Older-adult age is 60 or 62 (the two ages Colombian rules use); retention 30 days to 10 years.
    /// <paramref name="enabledReasons"/>: the preferential categories offered (null leaves them as they are).
    /// </summary>
    public async Task UpdateSettingsAsync(int olderAdultAge, int retentionDays, string? actorId = null,
        IReadOnlyCollection<PreferentialReason>? enabledReasons = null, CancellationToken ct = default)
    {
        if (olderAdultAge is not (60 or 62)) throw new DomainException("Settings.OlderAdultAge");
        if (retentionDays is < 30 or > 3650) throw new DomainException("Settings.RetentionRange");
        if (enabledReasons?.Any(r => !Enum.IsDefined(r)) == true) throw new DomainException("Settings.UnknownPreferentialReason");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.Settings.OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        if (settings is null) db.Settings.Add(settings = new OrganizationSettings());
        var before = new { settings.OlderAdultAge, settings.RetentionDays, PreferentialReasons = settings.EnabledReasons().Select(r => r.ToString()) };
        (settings.OlderAdultAge, settings.RetentionDays) = (olderAdultAge, retentionDays);
        if (enabledReasons is not null) settings.SetEnabledReasons(enabledReasons);
        AuditLog.Add(db, Now, actorId, null, AuditActions.SettingsUpdated, "OrganizationSettings", settings.Id, null,
            new { before, after = new { OlderAdultAge = olderAdultAge, RetentionDays = retentionDays, PreferentialReasons = settings.EnabledReasons().Select(r => r.ToString()) } });
        await db.SaveChangesAsync(ct);
    }
}
