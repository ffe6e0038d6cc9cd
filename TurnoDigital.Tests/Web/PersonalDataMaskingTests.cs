using Serilog;
using Serilog.Core;
using Serilog.Events;
using TurnoDigital.Core.Common;
using TurnoDigital.Web.Logging;

namespace TurnoDigital.Tests.Web;

/// <summary>What reaches a log sink: numbers, names and public codes masked.</summary>
public class PersonalDataMaskingTests
{
    sealed class Collect : ILogEventSink
    {
        public List<string> Lines { get; } = [];
        public void Emit(LogEvent e) => Lines.Add(e.RenderMessage());
    }

    static string Logged(string template, params object?[] values)
    {
        var sink = new Collect();
        using (var log = new LoggerConfiguration().Enrich.WithPersonalDataMasking().WriteTo.Sink(sink).CreateLogger())
            log.Information(template, values);
        return Assert.Single(sink.Lines);
    }

    [Fact]
    public void Phones_documents_names_and_codes_are_masked_wherever_they_appear()
    {
        Assert.Equal("Contact \"57300*****67\" changed", Logged("Contact {WaId} changed", "573001234567"));
        Assert.Equal("Person \"***\"", Logged("Person {FullName}", "María Pérez"));
        Assert.Equal("HTTP \"GET\" \"/t/***\" responded 200", Logged("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", "/t/ab12cd34ef", 200));
        Assert.Equal("\"/cita/***/ics\"", Logged("{RequestPath}", "/cita/XK29QZ/ics"));
        Assert.Equal("\"/api/v1/tickets/***\"", Logged("{RequestPath}", "/api/v1/tickets/ab12cd34ef"));
        Assert.Equal("Failed: \"Recipient +57310*****77 not allowed, doc ******50\"", Logged("Failed: {Error}", "Recipient +573109998877 not allowed, doc 52987650"));
        // Numbers that are not personal stay readable.
        Assert.Equal("Message 123456789 (\"TurnNear\") failed", Logged("Message {Id} ({Kind}) failed", 123456789L, "TurnNear"));
        Assert.Equal("\"/citas/nueva\"", Logged("{RequestPath}", "/citas/nueva"));
    }

    [Theory]
    [InlineData("573001234567", "57300*****67")]
    [InlineData("+573001234567", "57300*****67")]
    [InlineData("3001234567", "********67")]
    [InlineData("1020304050", "********50")]
    [InlineData("1234", "****")]
    public void Numbers_keep_only_what_tells_two_apart(string value, string masked) => Assert.Equal(masked, LogMask.Number(value));
}
