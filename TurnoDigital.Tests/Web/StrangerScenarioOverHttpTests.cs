using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Persistence;
using TurnoDigital.Core.WhatsApp;
using TurnoDigital.Core.WhatsApp.Transport;
using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web;

/// <summary>
/// The attack issue 13 closes, end to end: a stranger books on the REST API with the victim's document and their own phone,
/// then writes "Mis citas" to the bot through signed webhooks. No reply carries the victim's code, and the victim's
/// reminder still goes to the victim's phone (the app's worker, dispatcher and a fake Graph API on loopback).
/// </summary>
public sealed class StrangerScenarioOverHttpTests : IAsyncLifetime
{
    const string Secret = "stranger-secret", Victim = "573104445566", Stranger = "573007778899", VictimDocument = "41999888";
    FakeGraphApi graph = default!;
    TurnoWebFactory app = default!;
    HttpClient meta = default!, api = default!;
    int sequence;

    public async Task InitializeAsync()
    {
        graph = await FakeGraphApi.StartAsync();
        var settings = graph.Settings(Secret).ToDictionary(kv => kv.Key, kv => kv.Value!);
        settings["WhatsApp:SecondsPerRecipient"] = "0";
        app = new TurnoWebFactory { Settings = settings };
        meta = app.CreateClient();
        api = app.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", TurnoWebFactory.ApiKey);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await graph.DisposeAsync();
    }

    async Task<string> BookAsync(int branchId, int serviceId, string start, string phone, string name)
    {
        var r = await api.PostAsJsonAsync("/api/v1/appointments", new
        {
            branchId, serviceId, start,
            customer = new { documentType = "CC", documentNumber = VictimDocument, fullName = name, phone, email = "x@example.co" },
            consent = new { dataProcessing = true, whatsApp = true },
        });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>();
    }

    async Task PostAsync(string json) => Assert.Equal(HttpStatusCode.OK, (await meta.PostWebhookAsync(json, Secret)).StatusCode);

    IEnumerable<string> SentTo(string waId) => graph.Requests.Where(r => r.Body["to"]?.GetValue<string>() == waId).Select(r => r.Body.ToJsonString());

    /// <summary>Waits (up to 60 s) until <paramref name="count"/> messages went to <paramref name="waId"/>; returns the last.</summary>
    async Task<string> WaitForCountAsync(string waId, int count)
    {
        var watch = Stopwatch.StartNew();
        while (SentTo(waId).Count() < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Only {SentTo(waId).Count()} of {count} messages were sent to {waId}.");
            await Task.Delay(50);
        }
        return SentTo(waId).ElementAt(count - 1);
    }

    Task<string> StrangerSaysAsync(string text) =>
        ExchangeAsync(MetaPayloads.Text(Stranger, $"wamid.STRANGER{++sequence}", text, app.Clock.GetUtcNow().UtcDateTime, FakeGraphApi.PhoneNumberId));

    Task<string> StrangerTapsAsync(string id, string title, bool list) =>
        ExchangeAsync(MetaPayloads.Reply(Stranger, $"wamid.STRANGER{++sequence}", id, title, list, app.Clock.GetUtcNow().UtcDateTime, phoneNumberId: FakeGraphApi.PhoneNumberId));

    async Task<string> ExchangeAsync(string payload)
    {
        var before = SentTo(Stranger).Count();
        await PostAsync(payload);
        return await WaitForCountAsync(Stranger, before + 1);
    }

    [Fact]
    public async Task A_stranger_with_the_victims_document_sees_none_of_the_victims_appointments_and_the_victims_reminder_reaches_the_victim()
    {
        int branchId, serviceId;
        long victimId;
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            (branchId, serviceId) = await db.Services.Where(s => s.Name == "Asesoría de créditos").Select(s => ValueTuple.Create(s.BranchId, s.Id)).SingleAsync();
        var tomorrow = app.Today.AddDays(1).ToString("yyyy-MM-dd");
        var victimCode = await BookAsync(branchId, serviceId, $"{tomorrow}T09:00:00-05:00", "+" + Victim, "Victoria Víctima");
        var strangerCode = await BookAsync(branchId, serviceId, $"{tomorrow}T11:00:00-05:00", "+" + Stranger, "Esteban Extraño");
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
            victimId = await db.Appointments.Where(a => a.Code == victimCode).Select(a => a.Id).SingleAsync();
        // Each booking's confirmation goes out to the phone given with it, before the conversation starts.
        await WaitForCountAsync(Victim, 1);
        await WaitForCountAsync(Stranger, 1);

        await StrangerSaysAsync("Hola");
        var mine = await StrangerTapsAsync("menu:mine", "Mis citas", list: true);
        Assert.Contains(strangerCode, mine); // their own booking is theirs: the number is proven
        await StrangerTapsAsync("menu:change", "Cancelar o cambiar", list: true);
        var cancel = await StrangerTapsAsync($"appt:{victimId}:cancel-yes", "Sí, cancelar", list: false);
        Assert.DoesNotContain(victimCode, cancel);
        await StrangerSaysAsync("Mis citas 41999888"); // a typed document unlocks nothing either

        // The victim's reminder, the evening before on the app's clock: to the victim's phone, never to the stranger's.
        app.Clock.Jump(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(5)); // 18:05 in Bogotá
        var strangerBefore = SentTo(Stranger).Count();
        await app.Services.GetRequiredService<Reminders>().RunRemindersAsync();
        await WaitForCountAsync(Victim, 2); // confirmation, then the reminder
        await WaitForCountAsync(Stranger, strangerBefore + 1); // the stranger's own reminder
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<TurnoDbContext>>().CreateDbContext())
        {
            Assert.Equal(Victim, await db.Outbox.Where(m => m.AppointmentId == victimId && m.Kind == MessageKind.ReminderDayBefore).Select(m => m.To).SingleAsync());
            Assert.Equal(TurnoDigital.Core.Appointments.AppointmentStatus.Booked, await db.Appointments.Where(a => a.Id == victimId).Select(a => a.Status).SingleAsync());
            // Every message written for the stranger's number, sent or not, is free of the victim's code.
            var toStranger = await db.Outbox.Where(m => m.To == Stranger).Select(m => m.Content).ToListAsync();
            Assert.NotEmpty(toStranger);
            Assert.All(toStranger, c => Assert.DoesNotContain(victimCode, c));
        }
        Assert.All(SentTo(Stranger), m => Assert.DoesNotContain(victimCode, m));
    }
}
