using TurnoDigital.Core;
using TurnoDigital.Web;
using TurnoDigital.Web.Security;

// SQLite's async calls complete synchronously, so a background writer waiting for the database holds its pool thread. With
// the default floor (one thread per core) a few such waits left webhook answers queued for a new thread, which the pool
// adds only every half second or so (the webhook bench's p95 fell from 60–110 ms to 15–40 ms with this floor).
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 32), io);

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
