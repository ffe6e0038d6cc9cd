using Microsoft.Extensions.DependencyInjection;
using TurnoDigital.Core.Appointments;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Customers;
using TurnoDigital.Core.WhatsApp.Transport;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// The outbox tests' shared setup: Core on a fake clock whose WhatsApp goes to a <see cref="FakeGraphApi"/> on loopback.
/// A test may replace <see cref="H"/> (dispose it first) to start Core with other settings.
/// </summary>
public abstract class FakeGraphApiTest : IAsyncLifetime
{
    protected FakeGraphApi Api { get; private set; } = default!;
    protected CoreHarness H { get; set; } = default!;

    public async Task InitializeAsync()
    {
        Api = await FakeGraphApi.StartAsync();
        H = await CoreHarness.CreateAsync(Api.Settings());
    }

    public async Task DisposeAsync()
    {
        await H.DisposeAsync();
        await Api.DisposeAsync();
    }

    protected OutboxDispatcher Dispatcher => H.Services.GetRequiredService<OutboxDispatcher>();
    protected DateTime Now => H.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A web booking of "Asesoría de créditos" with WhatsApp consent: its confirmation and reminders go to <paramref name="phone"/>.</summary>
    protected async Task<AppointmentView> BookWithWhatsAppAsync(DateTime startUtc, string doc = "1020304050", string phone = "3001234567")
    {
        var s = await H.ServiceAsync("Asesoría de créditos");
        return await H.Services.GetRequiredService<BookingService>().BookAsync(new BookingRequest(s.BranchId, s.Id, startUtc, Channel.Web,
            new IntakeInput(DocumentType.CC, doc, "María Pérez", phone, "maria@example.co"), Guid.NewGuid(), DataPolicyAccepted: true, WhatsAppConsent: true));
    }
}
