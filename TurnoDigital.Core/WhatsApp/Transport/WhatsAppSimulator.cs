using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.Persistence;

namespace TurnoDigital.Core.WhatsApp.Transport;

/// <summary>One bubble of the simulated phone: the person's message or one of ours with its delivery state.</summary>
public sealed record SimulatedBubble(long Id, bool FromPerson, DateTime At, string Text, IReadOnlyList<Choice> Buttons, IReadOnlyList<Choice> Rows,
    string? ListButton, string? WaMessageId, OutboxStatus? Status, string? Error, string? Template);

/// <summary>
/// The in-app phone. What the person types or taps enters as Meta-shaped JSON through the signed
/// webhook ingest; what we send is read back from the outbox, as the phone would receive it.
/// </summary>
public sealed class WhatsAppSimulator(IDbContextFactory<TurnoDbContext> dbFactory, WebhookIngest ingest, WhatsAppWorker worker,
    IOptionsMonitor<WhatsAppOptions> options, TimeProvider clock, IServiceProvider services)
{
    /// <summary>
    /// The simulator's home is Development: in any other environment it neither sends nor receives, so a production
    /// install without WhatsApp never pretends to deliver (a host without an environment, e.g. a Core test, counts as Development).
    /// </summary>
    public static bool Allowed(IServiceProvider services) => services.GetService<IHostEnvironment>()?.IsDevelopment() ?? true;

    /// <summary>The environment allows the simulator (it may still be off because the Cloud API is configured).</summary>
    public bool Available { get; } = Allowed(services);

    public bool Enabled => Available && options.CurrentValue.Mode == WhatsAppMode.Simulator;

    DateTime Now => clock.GetUtcNow().UtcDateTime;
    string PhoneNumberId => options.CurrentValue.PhoneNumberId;

    /// <summary>A typed Colombian mobile (or +country number) as a wa_id; null when it is not a mobile number.</summary>
    public static string? WaIdOf(string? phone) => PhoneNumber.ParseOrNull(phone) is { } e164 ? Outbox.WaId(e164.Value) : null;

    public async Task<IReadOnlyList<string>> RecentNumbersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WhatsAppContacts.OrderByDescending(c => c.LastInboundAt).Select(c => c.WaId).Take(8).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<SimulatedBubble>> ConversationAsync(string waId, int take = 80, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inbound = await db.InboundMessages.AsNoTracking().Where(m => m.From == waId).OrderByDescending(m => m.Id).Take(take)
            .Select(m => new { m.Id, m.ReceivedAt, m.Type, m.Text }).ToListAsync(ct);
        var outbound = await db.Outbox.AsNoTracking().Where(m => m.To == waId && m.Status != OutboxStatus.Pending && m.Status != OutboxStatus.Expired)
            .OrderByDescending(m => m.Id).Take(take).ToListAsync(ct);
        var templates = await db.MessageTexts.AsNoTracking().ToDictionaryAsync(t => t.Kind, t => t.TemplateName, ct);
        var bubbles = inbound.Select(m => new SimulatedBubble(m.Id, true, m.ReceivedAt, m.Text ?? $"[{m.Type}]", [], [], null, null, null, null, null))
            .Concat(outbound.Select(m =>
            {
                var c = Outbox.Deserialize(m.Content);
                var template = m.AsTemplate ? templates.GetValueOrDefault(m.Kind) ?? MessageTextDefaults.TemplateName(m.Kind) : null;
                return new SimulatedBubble(m.Id, false, m.SentAt ?? m.FailedAt ?? m.CreatedAt, c.Text, c.Buttons ?? [], m.AsTemplate ? [] : c.Rows ?? [],
                    c.ListButton, m.WaMessageId, m.Status, m.Error, template);
            }));
        return bubbles.OrderBy(b => b.At).ThenBy(b => b.FromPerson ? 0 : 1).ThenBy(b => b.Id).TakeLast(take).ToList();
    }

    public Task SendTextAsync(string waId, string text, CancellationToken ct = default) =>
        DeliverAsync(MetaPayloads.Text(waId, NewId(), text.Trim()[..Math.Min(text.Trim().Length, InboundMessage.TextMax)], Now, PhoneNumberId), ct);

    public Task TapAsync(string waId, Choice choice, bool list, string? answeredWaMessageId, CancellationToken ct = default) =>
        DeliverAsync(MetaPayloads.Reply(waId, NewId(), choice.Id, choice.Title, list, Now, answeredWaMessageId, PhoneNumberId), ct);

    /// <summary>The phone shows our delivered messages: their "read" receipts go back through the webhook.</summary>
    public async Task MarkReadAsync(string waId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unread = await db.Outbox.AsNoTracking().Where(m => m.To == waId && m.Status == OutboxStatus.Delivered && m.WaMessageId != null)
            .Select(m => m.WaMessageId!).ToListAsync(ct);
        foreach (var id in unread) await ingest.AcceptSignedAsync(MetaPayloads.Status(id, waId, "read", Now, PhoneNumberId), ct);
    }

    async Task DeliverAsync(string payload, CancellationToken ct)
    {
        if (!Enabled) throw new DomainException("Simulator.Disabled");
        await ingest.AcceptSignedAsync(payload, ct);
        // Answer at once instead of waiting for the worker's next wake-up.
        await worker.RunOnceAsync(ct);
    }

    static string NewId() => "wamid.SIMIN" + Guid.NewGuid().ToString("N");
}
