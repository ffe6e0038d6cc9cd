using TurnoDigital.Core;
using TurnoDigital.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddTurnoConfigurationAndLogging();
builder.Services.AddTurnoCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddTurnoWeb();

var app = builder.Build();
await app.Services.InitializeTurnoDatabaseAsync();
app.UseTurnoWeb();
app.Run();

public partial class Program;
