using TurnoDigital.Core;
using TurnoDigital.Web;
using TurnoDigital.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddTurnoConfigurationAndLogging();
builder.Services.AddTurnoCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddTurnoWeb(builder.Configuration);
builder.Services.AddTurnoProxyAndTransport().AddTurnoKeyProtection(builder.Configuration);

var app = builder.Build();
if (!StartupChecks.Pass(app)) return 1;
if (AdminCommand.Requested(args)) return await AdminCommand.RunAsync(app.Services, args);
await app.Services.InitializeTurnoDatabaseAsync();
app.UseTurnoWeb();
app.Run();
return 0;

public partial class Program;
