using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Organization;
using TurnoDigital.Core.Queueing;
using TurnoDigital.Tests.Support;
using TurnoDigital.Core.Audit;

namespace TurnoDigital.Tests.Core;

public class PreferentialSettingsTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();
    OrganizationAdmin Admin => h.Services.GetRequiredService<OrganizationAdmin>();

    [Fact]
    public async Task A_migrated_database_offers_all_four_categories()
    {
        var s = await Admin.SettingsAsync();
        Assert.Equal(Enum.GetValues<PreferentialReason>(), s.EnabledReasons());
    }

    [Fact]
    public async Task A_switched_off_category_is_refused_at_issue_and_the_others_still_work()
    {
        await Admin.UpdateSettingsAsync(60, 730, "admin-1", [PreferentialReason.OlderAdult, PreferentialReason.Disability]);

        var ex = await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja", PreferentialReason.Pregnancy));
        Assert.Equal("Esta entidad no ofrece atención preferencial por «embarazo». Pida un turno normal o acérquese a un asesor.", ex.Message);
        await using (var db = h.Db()) Assert.Equal(0, await db.Tickets.CountAsync());

        var older = await h.IssueAsync("Caja", PreferentialReason.OlderAdult);
        var ordinary = await h.IssueAsync("Caja");
        await using (var db = h.Db())
        {
            var tickets = await db.Tickets.OrderBy(t => t.Id).ToListAsync();
            Assert.Equal([(PriorityClass.Preferential, PreferentialReason.OlderAdult), (PriorityClass.Ordinary, null)],
                tickets.Select(t => (t.Priority, t.PreferentialReason)));
        }

        // Switched back on: the next issue accepts it, no restart.
        await Admin.UpdateSettingsAsync(60, 730, "admin-1", Enum.GetValues<PreferentialReason>());
        var pregnancy = await h.IssueAsync("Caja", PreferentialReason.Pregnancy);
        await using (var db = h.Db())
            Assert.Equal(PreferentialReason.Pregnancy, (await db.Tickets.SingleAsync(t => t.Code == pregnancy.Code)).PreferentialReason);
    }

    [Fact]
    public async Task An_unknown_category_is_refused_at_issue_and_in_the_settings()
    {
        await Assert.ThrowsAsync<DomainException>(() => h.IssueAsync("Caja", (PreferentialReason)42));
        await Assert.ThrowsAsync<DomainException>(() => Admin.UpdateSettingsAsync(60, 730, "admin-1", [(PreferentialReason)42]));
    }

    [Fact]
    public async Task Settings_changes_of_the_categories_are_audited_and_null_keeps_them()
    {
        await Admin.UpdateSettingsAsync(62, 730, "admin-1", []);
        await Admin.UpdateSettingsAsync(60, 730, "admin-2"); // only the age: categories stay off
        Assert.Empty((await Admin.SettingsAsync()).EnabledReasons());

        await using var db = h.Db();
        var entries = await db.AuditEntries.Where(e => e.Action == AuditActions.SettingsUpdated).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["admin-1", "admin-2"], entries.Select(e => e.ActorId));
        using var first = System.Text.Json.JsonDocument.Parse(entries[0].Details!);
        Assert.Equal(["OlderAdult", "Pregnancy", "Disability", "ChildInArms", "Veteran"],
            first.RootElement.GetProperty("before").GetProperty("PreferentialReasons").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, first.RootElement.GetProperty("after").GetProperty("PreferentialReasons").GetArrayLength());
    }
}
