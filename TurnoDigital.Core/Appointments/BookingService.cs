using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.Appointments;

/// <summary>The slot was free when shown and is not any more.</summary>
public sealed class SlotTakenException() : DomainException("Booking.SlotTaken");

/// <summary>Books, reschedules and cancels appointments for every channel.</summary>
public sealed class BookingService(IDbContextFactory<TurnoDbContext> dbFactory, TimeProvider clock, AvailabilityService availability,
    IOptionsMonitor<ContactLimits> limits)
{
    /// <summary>No 0/O, 1/I/L: read aloud or typed from paper without doubt.</summary>
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, Appointment.CodeLength);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<AppointmentView> BookAsync(BookingRequest request, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await BookOnceAsync(request, ct); }
            // A row the booking adds when missing (the person's contact history) was added by another request at the same moment:
            // on a server database one of the two hits the key. Start again in a new transaction; the row is there now.
            catch (DbUpdateException) when (attempt < 3) { }
            catch (DbUpdateException) { throw new SlotTakenException(); }
        }
    }

    async Task<AppointmentView> BookOnceAsync(BookingRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.RequestId == request.RequestId, ct);
        if (existing is not null) return await ViewAsync(db, existing, ct);

        var service = await AvailabilityService.LoadAsync(db, request.BranchId, request.ServiceId, ct)
            ?? throw new DomainException("Booking.ServiceNotBookable");
        if (!request.DataPolicyAccepted) throw new DomainException("Booking.DataPolicyRequired");
        var intake = IntakeValidator.Validate(service.IntakeFields, request.Intake);
        if (intake.Document is null) throw new IntakeValidationException(new Dictionary<string, string> { ["document"] = "Escriba el tipo y el número de documento." });
        var start = DateTime.SpecifyKind(request.StartUtc, DateTimeKind.Utc);
        await EnsureBookableAsync(db, service, start, ct);
        await AgentAssignments.EnsureAssignableAsync(db, service, request.AssignedAgentId, request.AssignedCounterId, ct);

        var now = Now;
        Appointment appointment;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var customer = await UpsertCustomerAsync(db, intake, now, ct);
            var contactPhone = request.ContactPhone ?? intake.Phone;
            await EnsureWithinCapsAsync(db, service, customer, contactPhone, now, ct);
            await ClaimSeatAsync(db, service, start, ct);
            var contact = new ContactDetails(contactPhone, intake.FullName, intake.Email, request.WhatsAppConsent);
            appointment = Appointment.Book(service, customer, start, NewCode(), request.Channel,
                intake.Custom.Count == 0 ? null : JsonSerializer.Serialize(intake.Custom), request.RequestId, now, request.ActorId, contact);
            if (request.AssignedAgentId is not null || request.AssignedCounterId is not null)
                appointment.AssignTo(request.AssignedAgentId, request.AssignedCounterId);
            db.Appointments.Add(appointment);
            var version = ConsentTexts.Version(request.Channel);
            customer.Consents.Add(ConsentRecord.Given(ConsentRecord.DataProcessing, request.Channel, version, now));
            if (request.WhatsAppConsent && contactPhone is not null)
                customer.Consents.Add(ConsentRecord.Given(ConsentRecord.WhatsAppAppointmentUpdates, request.Channel, version, now));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A retried request raced its twin: the twin booked it.
            db.ChangeTracker.Clear();
            var twin = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.RequestId == request.RequestId, ct);
            if (twin is null) throw;
            return await ViewAsync(db, twin, ct);
        }
        return await ViewAsync(db, appointment, ct);
    }

    /// <summary>Whom a desk or admin booking of the service may be assigned to (<see cref="AgentAssignments"/>).</summary>
    public async Task<AssignmentOptions> AssignmentOptionsAsync(int branchId, int serviceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AgentAssignments.OptionsAsync(db, branchId, serviceId, ct);
    }

    public async Task<AppointmentView> RescheduleAsync(string code, DateTime newStartUtc, Channel channel, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var appointment = await FindAsync(db, code, ct);
        appointment.EnsureChangeable(); // before looking for seats, and so that "the same time again" is refused too
        var service = (await AvailabilityService.LoadAsync(db, appointment.BranchId, appointment.ServiceId, ct))!;
        var start = DateTime.SpecifyKind(newStartUtc, DateTimeKind.Utc);
        var rebook = appointment.CancelledByBranch; // its seat was released when the branch cancelled it
        if (start == appointment.Start && !rebook) return await ViewAsync(db, appointment, ct);
        await EnsureBookableAsync(db, service, start, ct);
        var now = Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ClaimSeatAsync(db, service, start, ct);
        if (!rebook) await ReleaseSeatAsync(db, appointment, ct);
        appointment.Reschedule(start, service.SlotMinutes, channel, now, actorId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ViewAsync(db, appointment, ct);
    }

    public async Task<AppointmentView> CancelAsync(string code, Channel channel, string? actorId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var appointment = await FindAsync(db, code, ct);
        var now = Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        appointment.Cancel(now, channel, actorId);
        await ReleaseSeatAsync(db, appointment, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ViewAsync(db, appointment, ct);
    }

    public async Task<AppointmentView?> GetAsync(string code, CancellationToken ct = default)
    {
        var normalized = NormalizeCode(code);
        if (normalized is null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var a = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Code == normalized, ct);
        return a is null ? null : await ViewAsync(db, a, ct);
    }

    /// <summary>Sweeper: appointments never checked in by the end of their check-in window become no-shows. Idempotent.</summary>
    public async Task<int> MarkNoShowsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var late = await db.Appointments.Where(a => a.Status == AppointmentStatus.Booked && a.Start < now)
            .Join(db.Services, a => a.ServiceId, s => s.Id, (a, s) => new { a, s.CheckInLateMinutes }).ToListAsync(ct);
        var missed = late.Where(x => x.a.Start.AddMinutes(x.CheckInLateMinutes) < now).Select(x => x.a).ToList();
        foreach (var a in missed) a.MarkNoShow(now);
        await db.SaveChangesAsync(ct);
        return missed.Count;
    }

    public static string? NormalizeCode(string? code)
    {
        var s = new string((code ?? "").Where(char.IsLetterOrDigit).Take(Appointment.CodeMax + 1).Select(char.ToUpperInvariant).ToArray());
        return s.Length is >= 6 and <= Appointment.CodeMax ? s : null;
    }

    /// <summary>
    /// The caps per document (this service's own limit, and all services) and per phone. The refusal is the same neutral
    /// message whichever cap it was: it must not tell a stranger whether a document or a number holds bookings.
    /// </summary>
    async Task EnsureWithinCapsAsync(TurnoDbContext db, Service service, Customer customer, PhoneNumber? phone, DateTime now, CancellationToken ct)
    {
        var active = db.Appointments.Where(a => a.Status == AppointmentStatus.Booked && a.Start > now);
        var cap = Math.Max(1, limits.CurrentValue.ActiveAppointments);
        if (customer.Id != 0 && (await active.CountAsync(a => a.CustomerId == customer.Id && a.ServiceId == service.Id, ct) >= service.MaxActiveBookingsPerPerson
                || await active.CountAsync(a => a.CustomerId == customer.Id, ct) >= cap))
            throw new DomainException("Booking.LimitReached");
        if (phone is not null && await active.CountAsync(a => a.ContactPhone == phone, ct) >= cap)
            throw new DomainException("Booking.LimitReached");
    }

    async Task EnsureBookableAsync(TurnoDbContext db, Service service, DateTime start, CancellationToken ct)
    {
        var day = BranchTime.LocalDay(start, service.Branch!.Zone);
        var slot = (await availability.SlotsAsync(db, service, day, day, ct)).FirstOrDefault(s => s.StartUtc == start);
        if (slot is null) throw new DomainException("Booking.SlotUnavailable");
        if (slot.Free == 0) throw new SlotTakenException();
    }

    /// <summary>Takes one place with a conditional increment below capacity; the last place goes to exactly one request.</summary>
    static async Task ClaimSeatAsync(TurnoDbContext db, Service service, DateTime start, CancellationToken ct)
    {
        // Bookings kept through a change of slot length overlap this slot from another start: they hold seats here too.
        var capacity = service.CapacityPerSlot - (await AvailabilityService.OffGridAsync(db, service, start, start, ct))(start);
        if (capacity <= 0) throw new SlotTakenException();
        var slot = db.AppointmentSlots.Where(s => s.BranchId == service.BranchId && s.ServiceId == service.Id && s.Start == start);
        var free = slot.Where(s => s.Booked < capacity);
        if (await free.ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked + 1), ct) == 1) return;
        if (await slot.AnyAsync(ct)) throw new SlotTakenException();
        // The slot's first booking: a twin booking at the same moment must not fail on the key, so the row is created if missing and then counted.
        await SqlDialect.InsertIfMissingAsync(db.Database, "AppointmentSlots", ["BranchId", "ServiceId", "Start", "Booked"],
            ["BranchId", "ServiceId", "Start"], [service.BranchId, service.Id, start, 0], ct);
        if (await free.ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked + 1), ct) == 0) throw new SlotTakenException();
    }

    static Task ReleaseSeatAsync(TurnoDbContext db, Appointment a, CancellationToken ct) =>
        db.AppointmentSlots.Where(s => s.BranchId == a.BranchId && s.ServiceId == a.ServiceId && s.Start == a.Start && s.Booked > 0)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Booked, s => s.Booked - 1), ct);

    /// <summary>
    /// One customer per document (type + number). What an earlier visit left is never rewritten: anyone can type a document,
    /// so a later booking only fills what is missing; its own name, phone and e-mail stay on its appointment or ticket.
    /// Shared with walk-in tickets.
    /// </summary>
    internal static async Task<Customer> UpsertCustomerAsync(TurnoDbContext db, IntakeValue intake, DateTime now, CancellationToken ct)
    {
        var document = intake.Document!;
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Document!.Type == document.Type && c.Document.Number == document.Number, ct);
        if (customer is null)
            db.Customers.Add(customer = new Customer { Document = document, CreatedAt = now });
        customer.FullName ??= intake.FullName;
        customer.Phone ??= intake.Phone;
        customer.Email ??= intake.Email;
        return customer;
    }

    static async Task<Appointment> FindAsync(TurnoDbContext db, string code, CancellationToken ct)
    {
        var normalized = NormalizeCode(code) ?? throw new DomainException("Appointment.CodeNotFound");
        return await db.Appointments.FirstOrDefaultAsync(a => a.Code == normalized, ct) ?? throw new DomainException("Appointment.CodeNotFound");
    }

    internal static async Task<AppointmentView> ViewAsync(TurnoDbContext db, Appointment a, CancellationToken ct)
    {
        var s = await db.Services.AsNoTracking().Include(x => x.Branch).SingleAsync(x => x.Id == a.ServiceId, ct);
        var zone = s.Branch!.Zone;
        return new AppointmentView(a.Id, a.Code, a.BranchId, s.Branch.Name, s.Branch.Address, s.Id, s.Name, s.NameEn,
            DateTime.SpecifyKind(a.Start, DateTimeKind.Utc), BranchTime.ToLocal(a.Start, zone), BranchTime.ToLocal(a.End, zone), a.Status, a.Channel, s.Branch.TimeZoneId,
            a.CancelReason, a.TicketId is long ticketId ? await db.Tickets.Where(t => t.Id == ticketId).Select(t => t.Code).FirstOrDefaultAsync(ct) : null);
    }
}
