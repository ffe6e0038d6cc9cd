using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Identity;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;

namespace TurnoDigital.Core.Simulation;

/// <summary>
/// Plays a day at the first branch through the real services (issue, check in, call, start, complete, transfer, recall,
/// no-show, pause, heartbeat) on a clock the caller moves (<paramref name="setClock"/>, e.g. a FakeTimeProvider). One
/// random stream and one event queue in time order: the same parameters give the same day. For each walk-in it records
/// the estimate of the live estimator and of the naive baseline, given at issue, against the real wait.
/// </summary>
public sealed partial class SimulationEngine(IServiceProvider services, Action<DateTime> setClock)
{
    readonly IDbContextFactory<TurnoDbContext> dbFactory = services.GetRequiredService<IDbContextFactory<TurnoDbContext>>();
    readonly QueueService queue = services.GetRequiredService<QueueService>();
    readonly CounterSessionService sessions = services.GetRequiredService<CounterSessionService>();
    readonly PresenceService presence = services.GetRequiredService<PresenceService>();
    readonly BookingService bookings = services.GetRequiredService<BookingService>();
    readonly CheckInService checkIns = services.GetRequiredService<CheckInService>();
    readonly OrganizationCache configuration = services.GetRequiredService<OrganizationCache>();

    /// <summary>The WhatsApp "turn near" rule's defaults (<see cref="WhatsApp.WhatsAppOptions"/>).</summary>
    const int NearPeopleAhead = 3, NearMinutes = 10;

    sealed class Agent(string id, int counterId)
    {
        public string Id { get; } = id;
        public int CounterId { get; } = counterId;
        public DateTime BreakAt { get; set; }
        public bool OnBreakDone { get; set; }
        public bool Gone { get; set; }
        /// <summary>History's "today so far": the agent leaves after the visit in hand once this time has passed.</summary>
        public DateTime? LeaveAt { get; set; }
        /// <summary>History: changes each time the agent goes idle or is woken, so a stale wake-up does nothing.</summary>
        public int IdleGen { get; set; }
    }

    sealed class Track(long id, int serviceId, string priority, DateTime issuedAt, int ahead, int estimate, int naive)
    {
        public long Id { get; } = id;
        public int ServiceId { get; } = serviceId;
        public string Priority { get; } = priority;
        public DateTime IssuedAt { get; } = issuedAt;
        public int Ahead { get; } = ahead;
        public int Estimate { get; } = estimate;
        public int Naive { get; } = naive;
        public DateTime? NearAt, NaiveNearAt, CalledAt;
    }

    readonly PriorityQueue<Func<Task>, (DateTime At, long Seq)> events = new();
    readonly Dictionary<long, Track> tracks = [];
    long seq;
    DateTime now;
    int served, transfers, noShows, breaks;
    /// <summary>Arrivals and check-ins still to come: agents stay until there are none and their line is empty.</summary>
    int pending;

    void At(DateTime at, Func<Task> action) => events.Enqueue(action, (at, seq++));

    public async Task<SimulationResult> RunAsync(SimulationParameters p, CancellationToken ct = default)
    {
        var random = new Random(p.Seed);
        var (branch, walkIn, schedulable, agents) = await SetUpAsync(p, ct);
        var zone = branch.Zone;
        DateTime Local(int hour, double minutes = 0) => TimeZoneInfo.ConvertTimeToUtc(p.Day.ToDateTime(new TimeOnly(hour, 0)).AddMinutes(minutes), zone);
        var (opens, closes) = (Local(p.OpensAtHour), Local(p.ClosesAtHour));

        // Appointments are booked the day before; the no-shows never come.
        Move(opens.AddDays(-1));
        var booked = await BookAsync(p, random, branch.Id, schedulable, opens, closes, ct);
        var checkedIn = 0;
        foreach (var (id, start) in booked)
        {
            if (random.NextDouble() < p.NoShowRate) continue;
            checkedIn++;
            pending++;
            At(start.AddMinutes(-random.Next(0, 20)), async () => { pending--; await checkIns.CheckInAsync(id, Channel.Kiosk, ct: ct); });
        }

        // Walk-ins: a Poisson number per hour along the curve, uniform inside the hour.
        var curve = SimulationParameters.ArrivalCurve.Take(p.ClosesAtHour - p.OpensAtHour).ToArray();
        for (var h = 0; h < curve.Length; h++)
        {
            var n = Poisson(random, p.WalkIns * curve[h] / curve.Sum());
            for (var i = 0; i < n; i++)
            {
                var at = opens.AddHours(h).AddSeconds(random.Next(0, 3600));
                var service = Pick(random, walkIn);
                PreferentialReason? preferential = random.NextDouble() < p.PreferentialShare ? PreferentialReason.OlderAdult : null;
                pending++;
                At(at, () => { pending--; return IssueAsync(branch.Id, service, preferential, ct); });
            }
        }

        foreach (var a in agents)
        {
            a.BreakAt = opens + (closes - opens) * (0.3 + 0.4 * random.NextDouble()); // around midday
            Move(opens.AddMinutes(-5));
            await sessions.OpenAsync(a.CounterId, a.Id, ct);
            At(opens, () => FreeAsync(a, p, random, walkIn, closes, ct));
        }
        async Task BeatAsync()
        {
            foreach (var a in agents.Where(a => !a.Gone)) await presence.HeartbeatAsync(a.CounterId, a.Id, ct);
            if (agents.Any(a => !a.Gone)) At(now.Add(PresenceService.HeartbeatInterval), BeatAsync);
        }
        At(opens, BeatAsync);

        while (events.TryDequeue(out var action, out var key))
        {
            Move(key.At);
            await action();
        }
        var missed = await bookings.MarkNoShowsAsync(ct);
        var result = tracks.Values.OrderBy(t => t.Id).Select(t => new SimulatedTicket(t.Id, t.ServiceId, t.Priority, t.IssuedAt, t.Ahead, t.Estimate, t.Naive,
            t.NearAt, t.NaiveNearAt, t.CalledAt)).ToList();
        return new SimulationResult(p, result, served, transfers, noShows, checkedIn, Math.Max(missed, booked.Count - checkedIn), breaks);
    }

    void Move(DateTime to)
    {
        if (to > now) { now = to; setClock(to); }
    }

    async Task IssueAsync(int branchId, Service service, PreferentialReason? preferential, CancellationToken ct)
    {
        // A service with an intake gets it filled in (a new person each time), with the data authorization.
        var intake = service.IntakeFields.Count == 0 ? null : Person(service, 5000 + tracks.Count);
        var view = await queue.IssueAsync(new IssueTicketRequest(branchId, service.Id, Channel.Kiosk, Guid.NewGuid(), preferential, Intake: intake,
            DataPolicyAccepted: intake is not null), ct);
        await ObserveAsync(branchId, view.Code, ct);
    }

    /// <summary>An agent is free: a break when due, else Call next (polling an empty line), then the visit's steps.</summary>
    async Task FreeAsync(Agent a, SimulationParameters p, Random random, IReadOnlyList<Service> walkIn, DateTime closes, CancellationToken ct)
    {
        if (a.Gone) return;
        if (a.LeaveAt is { } leave && now >= leave) { await LeaveAsync(a, random, ct); return; }
        if (!a.OnBreakDone && now >= a.BreakAt)
        {
            a.OnBreakDone = true;
            breaks++;
            await sessions.PauseAsync(a.CounterId, a.Id, "Descanso", ct);
            At(now.AddMinutes(p.BreakMinutes + random.Next(-10, 11)), async () =>
            {
                await sessions.ResumeAsync(a.CounterId, a.Id, ct);
                await FreeAsync(a, p, random, walkIn, closes, ct);
            });
            return;
        }
        var ticket = await queue.CallNextAsync(a.CounterId, a.Id, ct);
        if (ticket is null)
        {
            if (now > closes && pending == 0) { await LeaveAsync(a, random, ct); return; }
            if (history) { Idle(a, () => FreeAsync(a, p, random, walkIn, closes, ct), p.IdlePollMinutes); return; }
            At(now.AddMinutes(1), () => FreeAsync(a, p, random, walkIn, closes, ct));
            return;
        }
        if (tracks.TryGetValue(ticket.Id, out var track)) track.CalledAt ??= now;
        if (!history) await ObserveAsync(ticket.BranchId, null, ct);

        if (random.NextDouble() < p.WalkOutShare)
        {
            // Nobody answers: recall, then no-show.
            At(now.AddMinutes(1), async () =>
            {
                var t = await queue.RecallAsync(ticket.Id, ticket.Version, a.Id, ct);
                At(now.AddMinutes(1.5), async () =>
                {
                    await queue.NoShowAsync(t.Id, t.Version, a.Id, ct);
                    noShows++;
                    await FreeAsync(a, p, random, walkIn, closes, ct);
                });
            });
            return;
        }
        At(now.AddMinutes(0.3 + random.NextDouble()), async () =>
        {
            var t = await queue.StartAsync(ticket.Id, ticket.Version, a.Id, ct);
            var service = walkIn.FirstOrDefault(s => s.Id == t.ServiceId);
            var median = service?.DefaultServiceMinutes ?? medians.GetValueOrDefault(t.ServiceId, 10);
            At(now.AddMinutes(LogNormal(random, median, p.ServiceTimeSpread)), async () =>
            {
                var others = walkIn.Where(s => s.Id != t.ServiceId).ToList();
                if (t.AppointmentId is null && others.Count > 0 && random.NextDouble() < p.TransferShare)
                {
                    var target = Pick(random, others).Id;
                    await queue.TransferAsync(t.Id, t.Version, a.Id, target, null, ct);
                    transfers++;
                    if (history) Joined(target);
                }
                else
                {
                    await queue.CompleteAsync(t.Id, t.Version, a.Id, null, ct);
                    served++;
                    if (history) MaybeRate(t.Id, t.Code, p, random, ct);
                }
                await FreeAsync(a, p, random, walkIn, closes, ct);
            });
        });
    }


    /// <summary>End of the day: half the agents leave the desk properly, the others just close the browser (their beats stop).</summary>
    async Task LeaveAsync(Agent a, Random random, CancellationToken ct)
    {
        a.Gone = true;
        if (history || random.NextDouble() < 0.5) await sessions.CloseAsync(a.CounterId, a.Id, ct); // history leaves no desk open
    }

    /// <summary>
    /// Both estimators on the state right now, in the line's call order: the issued ticket's estimates, and for every
    /// waiting ticket whether "turn near" would go out now (few people ahead, or few minutes by that estimator).
    /// </summary>
    async Task ObserveAsync(int branchId, string? issuedCode, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.AsNoTracking().SingleAsync(b => b.Id == branchId, ct);
        var day = BranchTime.LocalDay(now, branch.Zone);
        var services = await db.Services.AsNoTracking().Where(s => s.BranchId == branchId).ToListAsync(ct);
        var waiting = await db.Tickets.AsNoTracking().Where(t => t.BranchId == branchId && t.ServiceDay == day && t.Status == TicketStatus.Waiting)
            .InCallOrder(now, CallOrder.For(services)).ToListAsync(ct);
        var model = await WaitEstimator.LoadAsync(db, await configuration.GetAsync(), branchId, day, now, ct);
        var naive = new Dictionary<int, Func<int, int>>();
        foreach (var s in services) naive[s.Id] = await NaiveEstimatorAsync(db, s, day, ct);

        foreach (var line in waiting.GroupBy(t => t.ServiceId))
        {
            var ahead = 0;
            foreach (var t in line)
            {
                var estimate = ahead == 0 ? 0 : model.Minutes(t.ServiceId, ahead);
                var baseline = naive[t.ServiceId](ahead);
                if (t.Code == issuedCode)
                    tracks[t.Id] = new Track(t.Id, t.ServiceId, t.Priority.ToString(), t.IssuedAt, ahead, estimate, baseline);
                if (tracks.TryGetValue(t.Id, out var track))
                {
                    if (track.NearAt is null && (ahead <= NearPeopleAhead || estimate <= NearMinutes)) track.NearAt = now;
                    if (track.NaiveNearAt is null && (ahead <= NearPeopleAhead || baseline <= NearMinutes)) track.NaiveNearAt = now;
                }
                ahead++;
            }
        }
    }

    /// <summary>The estimator before issue 14, kept as the baseline: people ahead × recent average service time ÷ open desk sessions.</summary>
    internal static async Task<Func<int, int>> NaiveEstimatorAsync(TurnoDbContext db, Service service, DateOnly day, CancellationToken ct)
    {
        var recent = await db.Tickets.AsNoTracking()
            .Where(t => t.BranchId == service.BranchId && t.ServiceDay == day && t.Status == TicketStatus.Completed && t.ServiceId == service.Id && t.StartedAt != null)
            .OrderByDescending(t => t.ClosedAt).Take(WaitEstimator.RecentCompletions)
            .Select(t => new { t.StartedAt, t.ClosedAt }).ToListAsync(ct);
        var agents = await db.CounterSessions.CountAsync(s => s.EndedAt == null && s.PausedAt == null
            && db.Counters.Any(c => c.Id == s.CounterId && c.Services.Any(x => x.Id == service.Id)), ct);
        var average = WaitEstimator.AverageServiceMinutes(recent.Select(r => r.ClosedAt!.Value - r.StartedAt!.Value).ToList(), service.DefaultServiceMinutes);
        return ahead => WaitEstimator.EstimateMinutes(ahead, average, agents);
    }

    async Task<List<(long Id, DateTime Start)>> BookAsync(SimulationParameters p, Random random, int branchId, IReadOnlyList<Service> schedulable,
        DateTime opens, DateTime closes, CancellationToken ct)
    {
        var booked = new List<(long, DateTime)>();
        if (schedulable.Count == 0) return booked;
        for (var i = 0; i < p.Appointments; i++)
        {
            var service = schedulable[random.Next(schedulable.Count)];
            var slots = (int)((closes - opens).TotalMinutes - 60) / service.SlotMinutes;
            var start = opens.AddMinutes(30 + service.SlotMinutes * random.Next(0, Math.Max(1, slots)));
            try
            {
                var view = await bookings.BookAsync(new BookingRequest(branchId, service.Id, start, Channel.Web, Person(service, i), Guid.NewGuid(), DataPolicyAccepted: true), ct);
                booked.Add((view.Id, start));
            }
            catch (DomainException) { } // that slot is full or outside the service's hours: one booking fewer
        }
        return booked;
    }

    /// <summary>Demo person <paramref name="i"/> (<see cref="Demo.DemoPeople"/>: fake names, the reserved document and phone block).</summary>
    static IntakeInput Person(Service service, int i, int option = 0) => new(DocumentType.CC, Demo.DemoPeople.Document(i), Demo.DemoPeople.Name(i), Demo.DemoPeople.Phone(i), Demo.DemoPeople.Email(i),
        service.IntakeFields.Where(f => f.Kind == IntakeFieldKind.Choice).ToDictionary(f => f.Key, f => (string?)f.OptionList.ElementAtOrDefault(option % Math.Max(1, f.OptionList.Count))));

    /// <summary>The first branch, its services, and <see cref="SimulationParameters.Agents"/> agents each at a counter (added as needed).</summary>
    async Task<(Branch Branch, List<Service> WalkIn, List<Service> Schedulable, List<Agent> Agents)> SetUpAsync(SimulationParameters p, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var branch = await db.Branches.Include(b => b.Counters).ThenInclude(c => c.Services).OrderBy(b => b.Id).FirstAsync(ct);
        var services = await db.Services.AsNoTracking().Include(s => s.IntakeFields).Where(s => s.BranchId == branch.Id && s.IsActive).OrderBy(s => s.Prefix).ToListAsync(ct);
        var counters = branch.Counters.Where(c => c.IsActive).OrderBy(c => c.Id).ToList();
        var own = counters.Count;
        for (var i = counters.Count; i < p.Agents; i++)
        {
            // The branch's own counters in turn (not the growing list, which copied the first counter every time and left lines unstaffed).
            var like = counters[i % own];
            var counter = new Counter { BranchId = branch.Id, Name = $"Simulación {i + 1}", Services = [.. like.Services] };
            branch.Counters.Add(counter);
            counters.Add(counter);
        }
        var agents = new List<Agent>();
        for (var i = 0; i < p.Agents + p.StaleSessions; i++)
        {
            var id = $"sim-agent-{i + 1}";
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
                db.Users.Add(new AppUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), DisplayName = $"Asesor {i + 1}", AllBranches = true });
        }
        await db.SaveChangesAsync(ct);
        var opensUtc = TimeZoneInfo.ConvertTimeToUtc(p.Day.ToDateTime(new TimeOnly(p.OpensAtHour, 0)), branch.Zone);
        for (var i = 0; i < p.Agents + p.StaleSessions; i++)
        {
            if (i < p.Agents) agents.Add(new Agent($"sim-agent-{i + 1}", counters[i].Id));
            // A desk left open days ago at one of the busy counters' twins: never ended, never beating.
            else db.CounterSessions.Add(CounterSession.Open(branch.Id, counters[i % counters.Count].Id, $"sim-agent-{i + 1}", opensUtc.AddDays(-3)));
        }
        await db.SaveChangesAsync(ct);
        // The counters added above dropped the configuration cache: read it now, not first inside a save's transaction, where on
        // the shared connection (SimulationContainer) a second context cannot read.
        await configuration.GetAsync();
        return (branch, services.Where(s => s.TakesWalkIns).ToList(), services.Where(s => s.TakesAppointments).ToList(), agents);
    }

    static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    static int Poisson(Random random, double mean)
    {
        // Knuth's method; a normal approximation for large means (a busy hour).
        if (mean > 30) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal(random)));
        var (l, k, prob) = (Math.Exp(-mean), 0, 1.0);
        do { k++; prob *= random.NextDouble(); } while (prob > l);
        return k - 1;
    }

    static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    static double LogNormal(Random random, double median, double sigma) => Math.Min(median * 6, median * Math.Exp(sigma * Normal(random)));
}
