using TurnoDigital.Core;
using TurnoDigital.Web;
using TurnoDigital.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddTurnoConfigurationAndLogging();
builder.Services.AddTurnoCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddTurnoWeb();
builder.Services.AddTurnoProxyAndTransport().AddTurnoKeyProtection(builder.Configuration);

var app = builder.Build();
await app.Services.InitializeTurnoDatabaseAsync();
app.UseTurnoWeb();
app.Run();

public partial class Program;
