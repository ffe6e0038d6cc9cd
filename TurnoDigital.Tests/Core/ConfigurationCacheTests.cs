using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Live;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>
/// The organisation's configuration is read once for the hot paths and dropped by every committed admin change
/// (across nodes: <see cref="MultiNode.RedisLiveEventsTests"/>).
/// </summary>
public class ConfigurationCacheTests : IAsyncLifetime
{
    /// <summary>The SQL the app's contexts run.</summary>
    sealed class SqlLog : DbCommandInterceptor
    {
        public readonly ConcurrentQueue<string> Commands = new();
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            Commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }

    readonly SqlLog sql = new();
    CoreHarness h = default!;
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    public async Task InitializeAsync() =>
        h = await CoreHarness.CreateAsync(configure: s => s.ConfigureDbContext<SqliteTurnoDbContext>(o => o.AddInterceptors(sql)));
    public async Task DisposeAsync() => await h.DisposeAsync();

    static readonly string[] ConfigurationTables = ["\"Services\"", "\"Branches\"", "\"OpeningHours\"", "\"ClosedDates\"", "\"IntakeFields\"", "\"Settings\"", "\"CounterServices\""];

    [Fact]
    public async Task Once_read_issue_status_and_call_next_read_no_configuration()
    {
        var counter = await h.CounterAsync("Ventanilla 1");
        await h.IssueAsync("Caja");
        sql.Commands.Clear();

        var view = await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        await h.Queries.GetStatusAsync(view.Code);
        var called = await h.Queue.CallNextAsync(counter.Id, "agent-1");

        Assert.Equal(view.Number, called!.Number); // the preferential ticket goes first
        var reads = sql.Commands.ToList();
        Assert.NotEmpty(reads);
        // The harness reads Services by name before the issue (CoreHarness.ServiceAsync): only those reads name a configuration table.
        Assert.All(reads.Where(r => !r.Contains("\"Name\" = ")), r => Assert.DoesNotContain(ConfigurationTables, t => r.Contains($"FROM {t}") || r.Contains($"JOIN {t}")));
    }

    [Fact]
    public async Task A_closed_date_added_by_an_admin_stops_the_next_issue()
    {
        var first = await h.IssueAsync("Caja"); // the configuration is cached now
        await Admin.AddClosedDateAsync(first.BranchId, DateOnly.FromDateTime(first.IssuedAtLocal), "Inventario");

        var ex = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja"));
        Assert.StartsWith("Branch.Closed", ex.Code);
    }

    [Fact]
    public async Task A_preferential_category_switched_off_is_refused_at_once()
    {
        await h.IssueAsync("Caja", PreferentialReason.Pregnancy);
        await Admin.UpdateSettingsAsync(60, 730, enabledReasons: [PreferentialReason.OlderAdult]);

        await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja", PreferentialReason.Pregnancy));
        Assert.Contains(h.Notifier.Events, e => e.Kind == QueueEventKind.ConfigurationChanged && e.BranchId == QueueEvent.Organization);
    }

    [Fact]
    public async Task A_service_moved_off_a_counter_is_not_called_there_and_a_renamed_counter_shows_its_new_name()
    {
        var counter = await h.CounterAsync("Ventanilla 1");
        var caja = await h.ServiceAsync("Caja");
        var first = await h.IssueAsync("Caja");
        var second = await h.IssueAsync("Caja");
        var called = (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!;
        Assert.Equal(first.Number, called.Number);

        await using (var db = h.Db())
        {
            var tracked = await db.Counters.Include(c => c.Services).SingleAsync(c => c.Id == counter.Id);
            tracked.Name = "Módulo 1";
            tracked.Services.RemoveAll(s => s.Id == caja.Id);
            await db.SaveChangesAsync();
        }

        Assert.Equal("Módulo 1", (await h.Queries.GetStatusAsync(first.Code))!.CounterName);
        Assert.Null(await h.Queue.CallNextAsync(counter.Id, "agent-2")); // Caja's line is no longer this counter's
        Assert.Equal(TicketStatus.Waiting, (await h.Queries.GetStatusAsync(second.Code))!.Status);
    }

    [Fact]
    public async Task A_change_rolled_back_keeps_the_cached_configuration_and_announces_nothing()
    {
        var caja = await h.ServiceAsync("Caja");
        await h.IssueAsync("Caja");
        var cache = h.Services.GetRequiredService<OrganizationCache>();
        var before = await cache.GetAsync();
        h.Notifier.Events.Clear();
        await using (var db = h.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            (await db.Services.SingleAsync(s => s.Id == caja.Id)).Mode = ServiceMode.Schedulable;
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        Assert.Same(before, await cache.GetAsync());
        Assert.DoesNotContain(h.Notifier.Events, e => e.Kind == QueueEventKind.ConfigurationChanged);
        await h.IssueAsync("Caja"); // still walk-in
    }

    [Fact]
    public async Task Messages_use_the_text_service_counter_and_default_minutes_an_admin_saved_after_the_cache_was_read()
    {
        var counter = await h.CounterAsync("Ventanilla 1");
        var caja = await h.ServiceAsync("Caja");
        async Task<OutboxMessage> IssueWithPhoneAsync(string phone)
        {
            var view = await h.Queue.IssueAsync(new IssueTicketRequest(caja.BranchId, caja.Id, Channel.Kiosk, Guid.NewGuid(), WhatsAppPhone: phone, WhatsAppConsent: true));
            await using var db = h.Db();
            return await db.Outbox.SingleAsync(m => m.Kind == MessageKind.TicketConfirmation && m.Ticket!.Code == view.Code);
        }
        var first = await h.IssueAsync("Caja");
        var before = await IssueWithPhoneAsync("3001234567"); // composed from the cached configuration
        Assert.Contains("Caja", Outbox.Deserialize(before.Content).Text);

        await h.Services.GetRequiredService<MessageTexts>().SaveAsync(MessageKind.TicketConfirmation, "{numero} · {servicio} · {minutos} min", "turno_confirmacion", "es");
        await h.Services.GetRequiredService<CounterAdmin>().UpdateAsync(counter.Id, "Módulo 1", true, counter.Services.Select(s => s.Id).ToList());
        await using (var db = h.Db())
        {
            var service = await db.Services.SingleAsync(s => s.Id == caja.Id);
            (service.Name, service.DefaultServiceMinutes) = ("Caja rápida", 42);
            await db.SaveChangesAsync();
        }

        // Two ahead, nobody at a desk: the estimate is two turns of the new default.
        var after = await IssueWithPhoneAsync("3007654321");
        Assert.Equal($"A-003 · Caja rápida · {2 * 42} min", Outbox.Deserialize(after.Content).Text);
        Assert.Equal(first.Number, (await h.Queue.CallNextAsync(counter.Id, "agent-1"))!.Number);
        await h.Queue.CallNextAsync(counter.Id, "agent-2");
        await using (var db = h.Db())
            Assert.Equal("Es su turno: A-002, diríjase a Módulo 1.",
                Outbox.Deserialize((await db.Outbox.SingleAsync(m => m.Kind == MessageKind.TicketCalled)).Content).Text);
    }
}
