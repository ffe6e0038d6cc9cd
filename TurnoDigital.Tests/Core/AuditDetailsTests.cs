using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TurnoDigital.Core.Audit;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Core;

/// <summary>What the audit trail stores: valid JSON however long the details, and verbs that never change.</summary>
public class AuditDetailsTests : IAsyncLifetime
{
    CoreHarness h = default!;
    public async Task InitializeAsync() => h = await CoreHarness.CreateAsync();
    public async Task DisposeAsync() => await h.DisposeAsync();

    async Task<JsonElement> StoredAsync(object details)
    {
        await using (var db = h.Db())
        {
            AuditLog.Add(db, h.Clock.GetUtcNow().UtcDateTime, "admin-1", null, AuditActions.ServiceUpdated, "Service", 1, 1, details);
            await db.SaveChangesAsync();
        }
        await using var read = h.Db();
        var stored = await read.AuditEntries.AsNoTracking().OrderBy(e => e.Id).LastAsync();
        Assert.InRange(stored.Details!.Length, 2, AuditEntry.DetailsMax);
        return JsonDocument.Parse(stored.Details).RootElement.Clone(); // throws if the stored text is no JSON
    }

    [Fact]
    public async Task Short_details_are_stored_as_they_are()
    {
        var root = await StoredAsync(new { name = "Caja", minutes = 15 });
        Assert.Equal("Caja", root.GetProperty("name").GetString());
        Assert.False(root.TryGetProperty(AuditDetails.TruncatedKey, out _));
    }

    [Fact]
    public async Task A_long_string_is_shortened_and_the_rest_is_kept_and_marked_truncated()
    {
        // Quotes and accents are escaped in JSON: a cut by characters would have split an escape.
        var note = string.Concat(Enumerable.Repeat("\"Atención\" ñ 😀 ", 400));
        var root = await StoredAsync(new { name = "Caja", note, minutes = 15 });
        Assert.True(root.GetProperty(AuditDetails.TruncatedKey).GetBoolean());
        Assert.Equal("Caja", root.GetProperty("name").GetString());
        Assert.Equal(15, root.GetProperty("minutes").GetInt32());
        var kept = root.GetProperty("note").GetString()!;
        Assert.EndsWith("…", kept);
        Assert.StartsWith(kept[..^1], note);
    }

    [Fact]
    public async Task Too_many_values_drop_the_largest_part_until_it_fits()
    {
        var root = await StoredAsync(new { before = new { ids = Enumerable.Range(1, 2000).ToArray() }, after = "x" });
        Assert.True(root.GetProperty(AuditDetails.TruncatedKey).GetBoolean());
        Assert.Equal("x", root.GetProperty("after").GetString());
        var ids = root.GetProperty("before").GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.InRange(ids.Count, 1, 1999);
        Assert.Equal(Enumerable.Range(1, ids.Count), ids); // the first ones, in order
    }

    [Fact]
    public async Task Details_that_are_no_object_are_kept_under_value()
    {
        var root = await StoredAsync(Enumerable.Range(1, 3000).Select(i => $"item {i}").ToArray());
        Assert.True(root.GetProperty(AuditDetails.TruncatedKey).GetBoolean());
        Assert.Equal("item 1", root.GetProperty(AuditDetails.ValueKey)[0].GetString());
    }

    [Fact]
    public void Audit_actions_are_unique_fit_their_column_and_keep_their_stored_values()
    {
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        Assert.Equal(actions.Count, actions.Values.Distinct().Count());
        Assert.All(actions.Values, a => Assert.InRange(a.Length, 1, AuditEntry.ActionMax));
        // Stored rows and saved filters use these values: a rename of the constant is fine, a new value is not.
        Assert.Equal("ticket.no-show", AuditActions.TicketNoShow);
        Assert.Equal("ticket.transferred", AuditActions.TicketTransferred);
        Assert.Equal("journey.viewed", AuditActions.JourneyViewed);
        Assert.Equal("report.daily.downloaded", AuditActions.DailyReportDownloaded);
    }
}
