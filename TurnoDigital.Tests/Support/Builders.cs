using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Api;
using TurnoDigital.Core.Devices;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// Small builders for a minimal organization written straight to the database, so a test states the branch,
/// services, counters, users and devices it needs instead of leaning on the demo seed:
/// <c>await services.SaveAsync(A.Branch().With(A.Service("Caja").WalkIn()).WithCounter("Ventanilla 1", "Caja"))</c>.
/// </summary>
public static class A
{
    public static BranchBuilder Branch(string name = "Sede Prueba") => new(name);
    public static ServiceBuilder Service(string name = "Caja", string prefix = "A") => new(name, prefix);
}

public sealed class BranchBuilder(string name)
{
    readonly List<ServiceBuilder> services = [];
    readonly List<(string Name, string[] Services)> counters = [];
    List<OpeningHours> hours = Branch.AllWeek(0, 24 * 60);
    bool holidays;
    string timeZone = "America/Bogota";

    public BranchBuilder With(params ServiceBuilder[] more) { services.AddRange(more); return this; }
    /// <summary>A counter that attends the named services (all of the branch's when none are named).</summary>
    public BranchBuilder WithCounter(string counter, params string[] serviceNames) { counters.Add((counter, serviceNames)); return this; }
    /// <summary>Open every day between these minutes after local midnight (default: all day, every day).</summary>
    public BranchBuilder Open(int fromMinute, int toMinute) { hours = Branch.AllWeek(fromMinute, toMinute); return this; }
    public BranchBuilder ObservingHolidays() { holidays = true; return this; }
    public BranchBuilder InTimeZone(string id) { timeZone = id; return this; }

    public Branch Build()
    {
        var branch = new Branch { Name = name, TimeZoneId = timeZone, Address = "Calle 10 # 5-20", Hours = hours, ObservesNationalHolidays = holidays };
        var built = services.Select(s => s.Build()).ToList();
        branch.Services.AddRange(built);
        foreach (var (counter, names) in counters)
            branch.Counters.Add(new Counter
            {
                Name = counter,
                Services = names.Length == 0 ? [.. built] : names.Select(n => built.SingleOrDefault(s => s.Name == n)
                    ?? throw new InvalidOperationException($"Counter {counter}: no service {n} in branch {name}.")).ToList(),
            });
        return branch;
    }
}

public sealed class ServiceBuilder(string name, string prefix)
{
    readonly Service service = new() { Name = name, Prefix = prefix, Mode = ServiceMode.WalkIn, DefaultServiceMinutes = 5, TargetWaitMinutes = 10 };

    public ServiceBuilder WalkIn() { service.Mode = ServiceMode.WalkIn; return this; }
    /// <summary>Appointments only: slots of this length all day, bookable from 30 minutes ahead up to 30 days.</summary>
    public ServiceBuilder Schedulable(int slotMinutes = 30, int capacity = 1) => Slots(ServiceMode.Schedulable, slotMinutes, capacity);
    /// <summary>Walk-ins and appointments.</summary>
    public ServiceBuilder Both(int slotMinutes = 30, int capacity = 1) => Slots(ServiceMode.Both, slotMinutes, capacity);
    public ServiceBuilder Remote(RemoteArrivalRule arrival = RemoteArrivalRule.LiveAtOnce, int cap = 10)
    {
        service.AllowsRemoteTickets = true;
        service.RemoteArrival = arrival;
        service.RemoteTicketCap = cap;
        return this;
    }
    public ServiceBuilder TargetWait(int minutes) { service.TargetWaitMinutes = minutes; return this; }
    public ServiceBuilder English(string nameEn) { service.NameEn = nameEn; return this; }
    /// <summary>Document, name and phone required (email as asked), as the demo's services ask.</summary>
    public ServiceBuilder StandardIntake(bool emailRequired = false)
    {
        service.IntakeFields = TurnoDigital.Core.Demo.DemoSeeder.StandardIntake(emailRequired);
        return this;
    }
    public ServiceBuilder Inactive() { service.IsActive = false; return this; }

    ServiceBuilder Slots(ServiceMode mode, int slotMinutes, int capacity)
    {
        service.Mode = mode;
        service.SlotMinutes = slotMinutes;
        service.CapacityPerSlot = capacity;
        service.MinNoticeMinutes = 30;
        service.MaxDaysAhead = 30;
        service.AppointmentsFromMinute = 0;
        service.AppointmentsToMinute = 24 * 60;
        return this;
    }

    public Service Build() => service;
}

/// <summary>Writes builders, staff, devices and API keys into the app's database (core harness or web factory).</summary>
public static class Seed
{
    public static async Task<Branch> SaveAsync(this IServiceProvider services, BranchBuilder builder)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var branch = builder.Build();
        db.Branches.Add(branch);
        await db.SaveChangesAsync();
        return branch;
    }

    /// <summary>
    /// A staff account with one role (roles are created on first use), signed in with <paramref name="password"/>;
    /// it sees every branch unless <paramref name="allBranches"/> is false (then only UserBranch rows the test adds).
    /// </summary>
    public static async Task<AppUser> UserAsync(this IServiceProvider services, string email, string role, string? name = null, string password = TurnoWebFactory.Password,
        bool allBranches = true)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name ?? email.Split('@')[0], LockoutEnabled = true, AllBranches = allBranches };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return user;
    }

    /// <summary>Bare staff rows with these ids that see every branch: core tests name their agents "agent-1" and open counters as them.</summary>
    public static async Task AgentsAsync(this IServiceProvider services, params string[] ids)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        db.Users.AddRange(ids.Select(id => new AppUser { Id = id, UserName = id, DisplayName = id, AllBranches = true }));
        await db.SaveChangesAsync();
    }

    /// <summary>A kiosk or display of the branch that pairs with a reusable <paramref name="code"/>.</summary>
    public static async Task<Device> DeviceAsync(this IServiceProvider services, int branchId, DeviceKind kind, string code, string? name = null)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContextAsync();
        var device = new Device { BranchId = branchId, Kind = kind, Name = name ?? kind.ToString(), CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime };
        device.SetReusableCode(code);
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        return device;
    }

    /// <summary>A REST API key with this exact value (every scope unless some are named).</summary>
    public static async Task ApiKeyAsync(this IServiceProvider services, string key, params string[] scopes)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("Pruebas", scopes.Length == 0 ? ApiKey.AllScopes : scopes, key);
    }
}
