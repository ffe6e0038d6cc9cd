using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Appointments;

/// <summary>
/// Who gets a checked-in appointment's ticket first (<see cref="Service.AgentAssignment"/>): the agent or counter chosen at
/// booking, or in turn the agents signed in to a counter serving the service. The call order enforces it (<see cref="CallOrder.Callable"/>).
/// </summary>
public static class AgentAssignments
{
    /// <summary>Whom a booking of the service at the branch may be assigned to; empty when the service is not assigned at booking.</summary>
    public static async Task<AssignmentOptions> OptionsAsync(TurnoDbContext db, int branchId, int serviceId, CancellationToken ct)
    {
        if (!await db.Services.AnyAsync(s => s.Id == serviceId && s.BranchId == branchId && s.AgentAssignment == AgentAssignment.AtBooking, ct))
            return AssignmentOptions.None;
        var counters = await db.Counters.AsNoTracking().Where(c => c.BranchId == branchId && c.IsActive && c.Services.Any(s => s.Id == serviceId))
            .OrderBy(c => c.Name).Select(c => new AssignmentOption(c.Id.ToString(), c.Name)).ToListAsync(ct);
        var agentRole = await db.Roles.Where(r => r.Name == Identity.Roles.Agent).Select(r => r.Id).FirstOrDefaultAsync(ct);
        var agents = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == agentRole)
                && (u.AllBranches || db.UserBranches.Any(b => b.UserId == u.Id && b.BranchId == branchId)))
            .OrderBy(u => u.DisplayName).Select(u => new AssignmentOption(u.Id, u.DisplayName == "" ? u.UserName! : u.DisplayName)).ToListAsync(ct);
        return new AssignmentOptions(agents, counters);
    }

    /// <summary>A booking's assignee must be an option of its service and branch (<see cref="OptionsAsync"/>).</summary>
    internal static async Task EnsureAssignableAsync(TurnoDbContext db, Service service, string? agentId, int? counterId, CancellationToken ct)
    {
        if (agentId is null && counterId is null) return;
        var options = await OptionsAsync(db, service.BranchId, service.Id, ct);
        if (!options.Offered) throw new DomainException("Booking.AssignmentNotOffered");
        if (agentId is not null && options.Agents.All(a => a.Id != agentId)) throw new DomainException("Booking.AssignedAgentUnknown");
        if (agentId is null && options.Counters.All(c => c.Id != counterId.ToString())) throw new DomainException("Booking.AssignedCounterUnknown");
    }

    /// <summary>Assigns <paramref name="ticket"/> (in the check-in's transaction); nothing to do when the service assigns nobody.</summary>
    public static async Task AssignAsync(TurnoDbContext db, Appointment appointment, Service service, Ticket ticket, DateTime now, CancellationToken ct)
    {
        if (service.AgentAssignment == AgentAssignment.None) return;
        var serving = await CallOrder.SignedIn(db.CounterSessions, service.BranchId, now)
            .Where(s => db.Counters.Any(c => c.Id == s.CounterId && c.IsActive && c.Services.Any(x => x.Id == service.Id)))
            .Select(s => new { s.AgentId, s.CounterId, s.StartedAt, Paused = s.PausedAt != null }).ToListAsync(ct);
        var release = now.AddMinutes(service.AssignedReleaseMinutes);
        if (service.AgentAssignment == AgentAssignment.AtBooking)
        {
            var (agent, counter) = (appointment.AssignedAgentId, appointment.AssignedCounterId);
            if (agent is null && counter is null) return;
            // Not signed in at all: released at once, so nobody waits for them.
            var signedIn = agent is not null
                ? await CallOrder.SignedIn(db.CounterSessions, service.BranchId, now).AnyAsync(s => s.AgentId == agent, ct)
                : serving.Any(s => s.CounterId == counter);
            ticket.AssignTo(agent, counter, signedIn ? release : now, signedIn, "booking", now);
            return;
        }
        serving.RemoveAll(s => s.Paused); // round robin: among those at work now
        if (serving.Count == 0) return;
        // Round robin: the signed-in agent whose last assignment of the service today is the oldest (never assigned: first);
        // ids, not times, order the assignments (two check-ins may share a moment).
        var agents = serving.Select(s => s.AgentId).Distinct().ToList();
        var last = await db.Tickets.Where(t => t.ServiceId == service.Id && t.ServiceDay == ticket.ServiceDay && t.AssignedAgentId != null
                && agents.Contains(t.AssignedAgentId))
            .GroupBy(t => t.AssignedAgentId!).Select(g => new { AgentId = g.Key, Last = g.Max(t => t.Id) }).ToListAsync(ct);
        var next = serving.OrderBy(s => last.FirstOrDefault(l => l.AgentId == s.AgentId)?.Last ?? 0)
            .ThenBy(s => s.StartedAt).ThenBy(s => s.AgentId, StringComparer.Ordinal).First();
        ticket.AssignTo(next.AgentId, next.CounterId, release, signedIn: true, "roundRobin", now);
    }
}

public sealed record AssignmentOption(string Id, string Name);

/// <summary>The agents (with access to the branch) and counters (serving the service) a booking may be assigned to.</summary>
public sealed record AssignmentOptions(IReadOnlyList<AssignmentOption> Agents, IReadOnlyList<AssignmentOption> Counters)
{
    public static readonly AssignmentOptions None = new([], []);
    public bool Offered => Agents.Count > 0 || Counters.Count > 0;
}
