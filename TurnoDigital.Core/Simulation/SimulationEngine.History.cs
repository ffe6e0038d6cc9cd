using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Demo;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;

namespace TurnoDigital.Core.Simulation;

/// <summary>What a history run did beyond the day's counts (the demo's and the tests' figures).</summary>
public sealed record HistoryFigures(int Days, int WalkIns, int Remote, int WhatsAppWalkIns, int Preferential, int Booked, int Rated,
    int Messages, int FailedMessages, int RemindedMissed, int Reminded);

/// <summary>
/// A branch's past days for a demo: the same services, agents and event queue as the single day, over
/// <see cref="SimulationParameters.Day"/> … the local day of <c>until</c> (today up to <c>until</c> within its opening hours: "so far",
/// a few people left waiting; nothing on a closed day or before opening). Weekdays follow <see cref="SimulationParameters.HistoryCurve"/>, Mondays and paydays (the 15th and the last business
/// day) are busier, Saturdays are half days, Sundays closed. Appointments are booked ahead on WhatsApp, web, API and in person;
/// reminders go out through the real sweeper, and a delivered reminder lowers the no-show rate. Outbox rows are put in their final
/// states as they are written (never sent: this container has no dispatcher), a share of them failed with Meta's reasons.
/// </summary>
public sealed partial class SimulationEngine
{
    /// <summary>On in <see cref="RunHistoryAsync"/>: no estimator observation, desks always closed, ratings after visits.</summary>
    bool history;
    readonly Dictionary<int, int> medians = [];
    readonly HashSet<string> ratable = [];
    int rated, booked, walkIns, remote, whatsApp, preferential, messages, failedMessages, remindedMissed, reminded, checkedInHistory, missedHistory;
    int seed;

    /// <summary>Meta's failure codes a branch really sees, with their documented titles.</summary>
    static readonly (int Code, string Error)[] MetaFailures =
    [
        (131026, "Message undeliverable: the recipient may not be on WhatsApp or may use an old version."),
        (131049, "This message was not delivered to maintain healthy ecosystem engagement."),
        (131050, "The user has stopped receiving marketing messages from this business."),
        (130472, "User's number is part of an experiment."),
    ];

    public async Task<SimulationResult> RunHistoryAsync(SimulationParameters p, DateTime until, CancellationToken ct = default)
    {
        history = true;
        seed = p.Seed;
        failureShare = p.WhatsAppFailureShare;
        var random = new Random(p.Seed);
        // Counters for the busiest day's staff: more agents come in on Mondays and paydays.
        var (branch, walkIn, schedulable, allAgents) = await SetUpAsync(p with { Agents = (int)Math.Ceiling(p.Agents * 1.5), StaleSessions = 0 }, ct);
        foreach (var s in walkIn.Concat(schedulable)) medians[s.Id] = s.DefaultServiceMinutes;
        foreach (var c in branch.Counters) counterServices[c.Id] = c.Services.Select(s => s.Id).ToHashSet();
        var zone = branch.Zone;
        var reasons = await PreferentialWeightsAsync(ct);
        var reminders = services.GetRequiredService<Reminders>();
        DateTime Local(DateOnly day, double hours) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue).AddHours(hours), zone);
        var (first, last) = (p.Day, BranchTime.LocalDay(until, zone));
        now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime; // the clock only moves forward from where it is
        // A clock already past the first day would play that day's events at "now", on top of the next day's.
        if (now > Local(first, 0))
            throw new ArgumentException($"The clock ({now:u}) must be before the first simulated day ({first:yyyy-MM-dd}).", nameof(p));
        Move(Local(first.AddDays(-15), 0));

        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var d = day;
            At(Local(d.AddDays(-1), 18.05), () => RemindAsync(reminders, ct)); // the day-before reminders, every evening
            if (!IsOpen(d)) continue;
            var (opens, closes) = (Local(d, p.OpensAtHour), Local(d, d.DayOfWeek == DayOfWeek.Saturday ? p.OpensAtHour + 4 : p.ClosesAtHour));
            DateTime? leaveAt = null;
            var ahead = Book(p, random, branch.Id, schedulable, d, opens, closes, Local, ct);
            foreach (var a in ahead) At(a.At, a.Action);
            if (d == last && until < closes)
            {
                // Today so far, within the opening hours only (before opening: only what was booked ahead); the desks empty a
                // quarter of an hour before "now", so a few people wait.
                if (until <= opens) continue;
                closes = until;
                leaveAt = until.AddMinutes(-15);
            }
            At(opens.AddMinutes(-10), () => OpenDayAsync(p, random, d, opens, closes, leaveAt, branch.Id, walkIn, allAgents, reasons, reminders, ct));
        }
        // The coming week is partly booked already (those booked before "now"): the desk and the kiosk have appointments to find.
        for (var d = last.AddDays(1); d <= last.AddDays(7); d = d.AddDays(1))
            if (IsOpen(d))
                foreach (var a in Book(p, random, branch.Id, schedulable, d, Local(d, p.OpensAtHour),
                             Local(d, d.DayOfWeek == DayOfWeek.Saturday ? p.OpensAtHour + 4 : p.ClosesAtHour), Local, ct))
                    At(a.At, a.Action);

        while (events.TryPeek(out var action, out var key) && key.At <= until)
        {
            events.Dequeue();
            Move(key.At);
            await action();
        }
        // "Now": nobody is left at a desk, and every message written so far is in its final state.
        Move(until);
        foreach (var a in onDuty.Where(a => !a.Gone)) await LeaveAsync(a, random, ct);
        await FinalizeOutboxAsync(ct);
        var figures = new HistoryFigures(last.DayNumber - first.DayNumber + 1, walkIns, remote, whatsApp, preferential, booked, rated,
            messages, failedMessages, remindedMissed, reminded);
        return new SimulationResult(p, [], served, transfers, noShows, checkedInHistory, missedHistory, breaks, figures);
    }

    readonly List<Agent> onDuty = [];
    readonly Dictionary<int, HashSet<int>> counterServices = [];
    /// <summary>Agents with an empty line, longest idle first: an arrival wakes one whose counter serves it, instead of everyone polling.</summary>
    readonly List<(Agent Agent, int Gen, Func<Task> Resume)> idle = [];

    void Idle(Agent a, Func<Task> resume, int minutes)
    {
        var gen = ++a.IdleGen;
        idle.Add((a, gen, resume));
        At(now.AddMinutes(minutes), () => WakeAsync(a, gen)); // and a look now and then anyway
    }

    Task WakeAsync(Agent a, int gen)
    {
        var i = idle.FindIndex(x => x.Agent == a && x.Gen == gen);
        if (a.IdleGen != gen || i < 0) return Task.CompletedTask;
        var resume = idle[i].Resume;
        idle.RemoveAt(i);
        a.IdleGen++;
        return resume();
    }

    /// <summary>Someone joined the service's line: the longest-idle agent serving it presses "call next" a few seconds later.</summary>
    void Joined(int serviceId)
    {
        var i = idle.FindIndex(x => counterServices.GetValueOrDefault(x.Agent.CounterId)?.Contains(serviceId) == true);
        if (i < 0) return;
        var (a, gen, resume) = idle[i];
        idle.RemoveAt(i);
        idle.Add((a, gen, resume)); // the next arrival wakes someone else
        At(now.AddSeconds(15), () => WakeAsync(a, gen));
    }

    /// <summary>Sundays are closed; so are national holidays when the branch observes them.</summary>
    static bool IsOpen(DateOnly day) => day.DayOfWeek != DayOfWeek.Sunday;

    /// <summary>Mondays and Colombian paydays (the 15th, the last business day of the month; a Sunday 15th pays on Saturday) bring more people.</summary>
    public static double DayFactor(DateOnly day)
    {
        var factor = day.DayOfWeek switch { DayOfWeek.Monday => 1.3, DayOfWeek.Friday => 1.1, DayOfWeek.Saturday => 0.45, _ => 1.0 };
        var lastBusiness = new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));
        while (lastBusiness.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) lastBusiness = lastBusiness.AddDays(-1);
        var fifteenth = new DateOnly(day.Year, day.Month, 15);
        if (fifteenth.DayOfWeek == DayOfWeek.Sunday) fifteenth = fifteenth.AddDays(-1);
        return day == lastBusiness || day == fifteenth ? factor * 1.4 : factor;
    }

    /// <summary>The day's appointments, each booked 1–14 days ahead on WhatsApp, web, API or in person (events at the booking moment).</summary>
    List<(DateTime At, Func<Task> Action)> Book(SimulationParameters p, Random random, int branchId, IReadOnlyList<Service> schedulable, DateOnly day,
        DateTime opens, DateTime closes, Func<DateOnly, double, DateTime> local, CancellationToken ct)
    {
        var list = new List<(DateTime, Func<Task>)>();
        if (schedulable.Count == 0) return list;
        var count = Poisson(random, p.Appointments * Math.Sqrt(DayFactor(day)));
        for (var i = 0; i < count + 1; i++)
        {
            // The last one is the featured demo person's, every fourth day, on WhatsApp.
            var featured = i == count;
            if (featured && day.DayNumber % 4 != 0) break;
            var service = schedulable[random.Next(schedulable.Count)];
            // A slot on the service's grid, from half an hour after opening to an hour before closing.
            var midnight = local(day, 0);
            var (from, slot) = (service.AppointmentsFromMinute, Math.Max(5, service.SlotMinutes));
            var lo = (int)Math.Ceiling(((opens - midnight).TotalMinutes + 30 - from) / slot);
            var hi = (int)Math.Floor(((closes - midnight).TotalMinutes - 60 - from) / slot);
            if (hi < lo) continue;
            var k = random.Next(lo, hi + 1);
            var lead = Math.Min(14, 1 + (int)(-Math.Log(1 - random.NextDouble()) * 4));
            var at = local(day.AddDays(-lead), 7 + 14 * random.NextDouble());
            var channel = featured ? Channel.WhatsApp : random.NextDouble() switch { < 0.35 => Channel.WhatsApp, < 0.7 => Channel.Web, < 0.8 => Channel.Api, _ => Channel.InPerson };
            var person = featured ? 1 : random.Next(2, DemoPeople.Count);
            var consent = channel == Channel.WhatsApp || random.NextDouble() < 0.5;
            var option = random.Next(10);
            list.Add((at, async () =>
            {
                // A taken slot: the person picks one of the next ones; otherwise (a cap per person, outside hours) one booking fewer.
                for (var j = k; j <= Math.Min(hi, k + 3); j++)
                {
                    var start = midnight.AddMinutes(from + slot * j);
                    try
                    {
                        var view = await bookings.BookAsync(new BookingRequest(branchId, service.Id, start, channel, Person(service, person, option), Guid.NewGuid(),
                            DataPolicyAccepted: true, WhatsAppConsent: consent, ActorId: channel == Channel.InPerson ? "sim-agent-1" : null), ct);
                        booked++;
                        if (channel == Channel.WhatsApp) await InboundAsync(DemoPeople.Phone(person), "text", "Quiero agendar una cita", null, ct);
                        (bookedByDay.TryGetValue(day, out var l) ? l : bookedByDay[day] = []).Add((view.Id, start));
                        return;
                    }
                    catch (SlotTakenException) { }
                    catch (DomainException) { return; }
                }
            }));
        }
        return list;
    }

    readonly Dictionary<DateOnly, List<(long Id, DateTime Start)>> bookedByDay = [];

    /// <summary>Before opening: yesterday is closed, the day's arrivals, check-ins and agents are scheduled, reminders run through the day.</summary>
    async Task OpenDayAsync(SimulationParameters p, Random random, DateOnly day, DateTime opens, DateTime closes, DateTime? leaveAt, int branchId,
        IReadOnlyList<Service> walkIn, IReadOnlyList<Agent> agents, (PreferentialReason Reason, double Weight)[] reasons, Reminders reminders, CancellationToken ct)
    {
        await queue.ExpireLeftoversAsync(ct);
        await bookings.MarkNoShowsAsync(ct);
        for (var at = opens; at < closes; at = at.AddMinutes(30)) At(at, () => RemindAsync(reminders, ct));

        var curve = SimulationParameters.HistoryCurve;
        var hours = (int)Math.Ceiling((closes - opens).TotalHours);
        var mean = p.WalkIns * DayFactor(day) / curve.Sum();
        var weights = walkIn.Select(s => 1 / Math.Sqrt(Math.Max(1, s.DefaultServiceMinutes))).ToArray();
        for (var h = 0; h < hours; h++)
        {
            var n = Poisson(random, mean * curve[Math.Min(h, curve.Length - 1)]);
            for (var i = 0; i < n; i++)
            {
                var at = opens.AddHours(h).AddSeconds(random.Next(0, 3600));
                if (at >= closes) continue;
                ScheduleArrival(p, random, branchId, Weighted(random, walkIn, weights), at, random.Next(2, DemoPeople.Count), reasons, ct);
            }
        }
        if (day.DayNumber % 3 == 0 && walkIn.Count > 0)
            ScheduleArrival(p, random, branchId, walkIn[^1], opens.AddMinutes(70), 1, [], ct, forceWhatsApp: true); // the featured person drops by

        foreach (var (id, start) in bookedByDay.GetValueOrDefault(day) ?? [])
        {
            var at = start.AddMinutes(-random.Next(0, 20));
            var draw = random.NextDouble();
            pending++;
            At(at, () => ArriveForAppointmentAsync(p, id, draw, ct));
        }

        var staff = Math.Min(agents.Count, day.DayOfWeek == DayOfWeek.Saturday ? Math.Max(2, p.Agents / 2) : (int)Math.Round(p.Agents * Math.Max(1, DayFactor(day))));
        foreach (var template in agents.Take(staff))
        {
            var a = new Agent(template.Id, template.CounterId) { LeaveAt = leaveAt };
            a.BreakAt = opens + (closes - opens) * (0.3 + 0.4 * random.NextDouble());
            if (closes - opens < TimeSpan.FromHours(5)) a.OnBreakDone = true; // no break on a half day
            onDuty.Add(a);
            At(opens.AddMinutes(-5), () => sessions.OpenAsync(a.CounterId, a.Id, ct));
            At(opens, () => FreeAsync(a, p, random, walkIn, closes, ct));
        }
    }

    /// <summary>One visitor: remote (web /fila or WhatsApp) where allowed, else at the kiosk, an agent or an API client; maybe a WhatsApp number, maybe preferential.</summary>
    void ScheduleArrival(SimulationParameters p, Random random, int branchId, Service service, DateTime at, int person,
        (PreferentialReason Reason, double Weight)[] reasons, CancellationToken ct, bool forceWhatsApp = false)
    {
        var isRemote = service.AllowsRemoteTickets && random.NextDouble() < p.RemoteShare;
        var remoteChannel = random.NextDouble() < 0.7 ? Channel.Web : Channel.WhatsApp;
        var arrives = random.NextDouble() < 0.85;
        var arrivalDelay = 10 + random.Next(0, 35);
        var withPhone = forceWhatsApp || random.NextDouble() < p.WhatsAppShare;
        PreferentialReason? reason = reasons.Length > 0 && random.NextDouble() < p.PreferentialShare
            ? Weighted(random, reasons.Select(r => r.Reason).ToList(), reasons.Select(r => r.Weight).ToArray()) : null;
        var channel = random.NextDouble() switch { < 0.82 => Channel.Kiosk, < 0.94 => Channel.InPerson, _ => Channel.Api };
        var option = random.Next(10);
        var intake = service.IntakeFields.Count == 0 ? null : Person(service, person, option);
        pending++;
        At(at, async () =>
        {
            pending--;
            walkIns++;
            if (isRemote)
            {
                try
                {
                    var code = await queue.IssueRemoteCodeAsync(new RemoteTicketRequest(branchId, service.Id, remoteChannel, Guid.NewGuid(), DemoPeople.Phone(person),
                        WhatsAppConsent: true, DataPolicyAccepted: true, intake), ct);
                    remote++;
                    ratable.Add(code);
                    if (remoteChannel == Channel.WhatsApp) await InboundAsync(DemoPeople.Phone(person), "text", "Quiero un turno", null, ct);
                    if (service.RemoteArrival == RemoteArrivalRule.ConfirmArrival && arrives)
                    {
                        pending++;
                        At(now.AddMinutes(arrivalDelay), async () => { pending--; await queue.ConfirmArrivalAsync(branchId, code, Channel.Kiosk, ct: ct); Joined(service.Id); });
                    }
                    else Joined(service.Id);
                    return;
                }
                catch (DomainException) { } // the remote line is full: they come in person instead
            }
            var issued = await queue.IssueCodeAsync(new IssueTicketRequest(branchId, service.Id, channel, Guid.NewGuid(), reason,
                withPhone ? DemoPeople.Phone(person) : null, withPhone, intake, DataPolicyAccepted: intake is not null), ct);
            Joined(service.Id);
            if (reason is not null) preferential++;
            if (withPhone) { whatsApp++; ratable.Add(issued); }
        });
    }

    /// <summary>At the kiosk for an appointment, or not: a delivered reminder makes a no-show rarer.</summary>
    async Task ArriveForAppointmentAsync(SimulationParameters p, long appointmentId, double draw, CancellationToken ct)
    {
        pending--;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var wasReminded = await db.Outbox.AnyAsync(m => m.AppointmentId == appointmentId
                && (m.Kind == MessageKind.ReminderDayBefore || m.Kind == MessageKind.ReminderSameDay)
                && (m.Status == WhatsApp.OutboxStatus.Delivered || m.Status == WhatsApp.OutboxStatus.Read), ct);
            if (wasReminded) reminded++;
            if (draw < (wasReminded ? p.RemindedNoShowRate : p.NoShowRate))
            {
                missedHistory++;
                if (wasReminded) remindedMissed++;
                return;
            }
        }
        try
        {
            var result = await checkIns.CheckInAsync(appointmentId, Channel.Kiosk, ct: ct);
            if (result.Outcome == CheckInOutcome.CheckedIn) { checkedInHistory++; Joined(result.Appointment.ServiceId); }
        }
        catch (DomainException) { } // cancelled meanwhile
    }

    /// <summary>A WhatsApp user rates the visit a little later (scores lean high, as real ones do).</summary>
    void MaybeRate(long ticketId, string code, SimulationParameters p, Random random, CancellationToken ct)
    {
        if (!ratable.Contains(code) || random.NextDouble() >= p.RatingShare) return;
        var score = random.NextDouble() switch { < 0.48 => 5, < 0.78 => 4, < 0.9 => 3, < 0.96 => 2, _ => 1 };
        At(now.AddMinutes(2 + random.Next(0, 90)), async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ticket = await db.Tickets.SingleAsync(t => t.Id == ticketId, ct);
            if (ticket.Status != TicketStatus.Completed || ticket.Rating is not null) return;
            ticket.Rate(score, Channel.WhatsApp, now);
            await db.SaveChangesAsync(ct);
            rated++;
            if (ticket.ContactPhone is { } phone) await InboundAsync(phone.Value, "interactive", $"{score}", $"rate:{ticket.Id}:{score}", ct);
        });
    }

    /// <summary>The reminder sweeper at this moment, no-shows marked, then every message written so far in its final state.</summary>
    async Task RemindAsync(Reminders reminders, CancellationToken ct)
    {
        await reminders.RunRemindersAsync(now, ct: ct);
        await FinalizeOutboxAsync(ct);
    }

    /// <summary>
    /// The seed of one row's fate: the same in every process (<see cref="HashCode"/> is seeded randomly per process, so it
    /// made the demo's month differ from one start to the next).
    /// </summary>
    internal static int RowSeed(int seed, long id) => (int)(((ulong)(uint)seed * 2654435761UL ^ (ulong)id * 40503UL) % int.MaxValue);

    /// <summary>
    /// What Meta's status webhooks would have left on each pending row (sent, delivered, read, or failed with a reason), decided by
    /// the seed and the row's id; nothing is sent. Rows already past their expiry are dropped as the dispatcher would.
    /// </summary>
    async Task FinalizeOutboxAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Outbox.Where(m => m.Status == WhatsApp.OutboxStatus.Pending).OrderBy(m => m.Id).ToListAsync(ct);
        foreach (var m in rows)
        {
            var r = new Random(RowSeed(seed, m.Id));
            var sent = m.CreatedAt.AddSeconds(1 + r.Next(0, 5));
            messages++;
            if (r.NextDouble() < SharePerRow)
            {
                var (code, error) = MetaFailures[r.Next(MetaFailures.Length)];
                (m.Status, m.FailedAt, m.ErrorCode, m.Error) = (WhatsApp.OutboxStatus.Failed, sent.AddSeconds(2), code, error);
                m.Attempts = 1;
                failedMessages++;
                continue;
            }
            m.Attempts = 1;
            m.WaMessageId = $"wamid.DEMO{seed}x{m.Id}";
            m.SentAt = sent;
            m.DeliveredAt = sent.AddSeconds(2 + r.Next(0, 20));
            m.Status = WhatsApp.OutboxStatus.Delivered;
            if (r.NextDouble() < 0.7) (m.ReadAt, m.Status) = (m.DeliveredAt.Value.AddMinutes(r.Next(0, 30)), WhatsApp.OutboxStatus.Read);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The person's side of a WhatsApp exchange the simulation played through the services (a booking, a remote ticket, a rating),
    /// stored as the webhook worker stores a message and marked handled, so the live bot never answers it.
    /// </summary>
    async Task InboundAsync(string phone, string type, string text, string? replyId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = $"wamid.DEMOIN{seed}x{++inbound}";
        await WhatsApp.Transport.WhatsAppWorker.RecordAsync(db, new(id, Outbox.WaId(phone), type, text, replyId, now), now, handled: true, ct);
    }

    int inbound;

    double SharePerRow => failureShare;
    double failureShare;

    async Task<(PreferentialReason, double)[]> PreferentialWeightsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.Settings.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct) ?? new OrganizationSettings();
        (PreferentialReason, double)[] shares = [(PreferentialReason.OlderAdult, 0.6), (PreferentialReason.Pregnancy, 0.15),
            (PreferentialReason.Disability, 0.15), (PreferentialReason.ChildInArms, 0.1)];
        return shares.Where(s => settings.IsEnabled(s.Item1)).ToArray();
    }

    static T Weighted<T>(Random random, IReadOnlyList<T> items, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < items.Count; i++)
            if ((x -= weights[i]) < 0) return items[i];
        return items[^1];
    }
}
