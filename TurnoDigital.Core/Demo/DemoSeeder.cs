using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Demo;

/// <summary>Demo data: one branch, services, counters, users and paired-by-code devices. Idempotent across restarts.</summary>
public sealed class DemoSeeder(TurnoDbContext db, UserManager<AppUser> users, RoleManager<IdentityRole> roles, TimeProvider clock, Api.ApiKeyService apiKeys,
    IServiceProvider services)
{
    public const string BranchName = "Sede Centro";

    /// <summary>Under <see cref="SeedLock"/>: each step below checks what is already there, so a second node finds it all seeded.</summary>
    public async Task SeedAsync(DemoOptions options, CancellationToken ct = default)
    {
        await using var seeding = await SeedLock.AcquireAsync(db, "demo-seed", ct);
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));

        var branch = await db.Branches.Include(b => b.Services).Include(b => b.Counters).Include(b => b.Hours).FirstOrDefaultAsync(b => b.Name == BranchName, ct);
        if (branch is null)
        {
            branch = new Branch
            {
                Name = BranchName, TimeZoneId = "America/Bogota", Address = "Carrera 7 # 12-34, Bogotá",
                // Open around the clock, holidays included, so the demo works at any hour; real branches set their hours.
                Hours = Branch.AllWeek(0, 24 * 60), ObservesNationalHolidays = false,
                MessagesFromMinute = 0, MessagesToMinute = 24 * 60, // reminders too, at any hour
            };
            var caja = new Service { Name = "Caja", NameEn = "Cashier", Prefix = "A", Mode = ServiceMode.WalkIn, DefaultServiceMinutes = 4, TargetWaitMinutes = 10,
                AllowsRemoteTickets = true, RemoteArrival = RemoteArrivalRule.LiveAtOnce, RemoteTicketCap = 10 };
            var info = new Service { Name = "Información", NameEn = "Information", Prefix = "B", Mode = ServiceMode.WalkIn, DefaultServiceMinutes = 3, TargetWaitMinutes = 10 };
            var asesoria = new Service { Name = "Asesoría de créditos", NameEn = "Loan advice", Prefix = "C", Mode = ServiceMode.Schedulable, DefaultServiceMinutes = 20, TargetWaitMinutes = 15,
                SlotMinutes = 30, CapacityPerSlot = 1, MinNoticeMinutes = 30, MaxDaysAhead = 30,
                AppointmentsFromMinute = 7 * 60, AppointmentsToMinute = 19 * 60, IntakeFields = StandardIntake(emailRequired: true) };
            var tramites = new Service { Name = "Trámites y certificados", NameEn = "Certificates and procedures", Prefix = "D", Mode = ServiceMode.Both, DefaultServiceMinutes = 8, TargetWaitMinutes = 20,
                AllowsRemoteTickets = true, RemoteArrival = RemoteArrivalRule.ConfirmArrival, RemoteFairnessMinutes = 60,
                SlotMinutes = 20, CapacityPerSlot = 2, MinNoticeMinutes = 30, MaxDaysAhead = 30,
                AppointmentsFromMinute = 7 * 60, AppointmentsToMinute = 19 * 60, IntakeFields = [.. StandardIntake(emailRequired: false),
                    new IntakeField { Key = "tramite", Kind = IntakeFieldKind.Choice, Label = "Trámite", LabelEn = "Procedure", Required = true, Order = 5,
                        Options = "Certificado laboral|Paz y salvo|Actualización de datos" }] };
            branch.Services.AddRange([caja, info, asesoria, tramites]);
            branch.Counters.AddRange([
                new Counter { Name = "Ventanilla 1", Services = [caja, info] },
                new Counter { Name = "Ventanilla 2", Services = [caja, tramites] },
                new Counter { Name = "Ventanilla 3", Services = [info, asesoria, tramites] },
            ]);
            db.Branches.Add(branch);
            await db.SaveChangesAsync(ct);
        }
        if (branch.Hours.Count == 0) branch.Hours.AddRange(Branch.AllWeek(0, 24 * 60)); // a demo database from before weekly hours

        // Branch access fails closed: the admin and supervisor see every branch, the agents the demo branch.
        await EnsureUserAsync("admin@demo.turno", "Administradora Demo", Roles.Admin, options.Password, allBranches: true);
        await EnsureUserAsync("supervisor@demo.turno", "Supervisor Demo", Roles.Supervisor, options.Password, allBranches: true);
        await EnsureUserAsync("agente1@demo.turno", "Agente Uno", Roles.Agent, options.Password, branchId: branch.Id);
        await EnsureUserAsync("agente2@demo.turno", "Agente Dos", Roles.Agent, options.Password, branchId: branch.Id);

        await EnsureDeviceAsync(branch.Id, DeviceKind.Kiosk, "Kiosco entrada", options.KioskPairingCode, ct);
        await EnsureDeviceAsync(branch.Id, DeviceKind.Display, "Pantalla sala de espera", options.DisplayPairingCode, ct);
        await db.SaveChangesAsync(ct);

        if (!string.IsNullOrWhiteSpace(options.ApiKey) && !await apiKeys.ExistsAsync(options.ApiKey, ct))
            await apiKeys.CreateAsync("Demo", Api.ApiKey.AllScopes, options.ApiKey, ct: ct);

        // Last: the history needs the branch, its services and counters as written above.
        if (options.History) await DemoHistory.SeedAsync(services, db, branch, options.HistoryDays, ct);
    }

    /// <summary>Document, name and phone required; email as the service needs it.</summary>
    public static List<IntakeField> StandardIntake(bool emailRequired) =>
    [
        new() { Key = IntakeField.Keys.Document, Kind = IntakeFieldKind.Document, Label = "Documento", LabelEn = "ID document", Required = true, Order = 1, MaxLength = 20 },
        new() { Key = IntakeField.Keys.FullName, Kind = IntakeFieldKind.FullName, Label = "Nombre completo", LabelEn = "Full name", Required = true, Order = 2, MaxLength = 120 },
        new() { Key = IntakeField.Keys.Phone, Kind = IntakeFieldKind.Phone, Label = "Celular", LabelEn = "Mobile phone", Required = true, Order = 3, MaxLength = 20 },
        new() { Key = IntakeField.Keys.Email, Kind = IntakeFieldKind.Email, Label = "Correo electrónico", LabelEn = "Email", Required = emailRequired, Order = 4, MaxLength = 120 },
    ];

    async Task EnsureUserAsync(string email, string name, string role, string password, bool allBranches = false, int? branchId = null)
    {
        if (await users.FindByEmailAsync(email) is not null) return;
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, LockoutEnabled = true, AllBranches = allBranches };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            throw new InvalidOperationException($"Demo user {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        await users.AddToRoleAsync(user, role);
        if (branchId is { } id) db.UserBranches.Add(new UserBranch { UserId = user.Id, BranchId = id });
    }

    async Task EnsureDeviceAsync(int branchId, DeviceKind kind, string name, string code, CancellationToken ct)
    {
        var device = await db.Devices.FirstOrDefaultAsync(d => d.BranchId == branchId && d.Kind == kind && d.Name == name, ct);
        if (device is null)
            db.Devices.Add(device = new Device { BranchId = branchId, Kind = kind, Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime });
        if (!string.IsNullOrWhiteSpace(code) && !device.IsRevoked) device.SetReusableCode(code);
    }
}
