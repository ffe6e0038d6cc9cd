using TurnoDigital.Tests.Support;

namespace TurnoDigital.Tests.Web.Configuration;

/// <summary>
/// The create-admin command run as a process in Production (ProductionStartTests signs in with the administrator it creates):
/// the password from standard input is held to the rules of /admin/users and never echoed; running it again changes nothing.
/// </summary>
public class AdminCommandTests
{
    [Fact]
    public async Task Create_admin_reads_the_password_from_standard_input_keeps_the_rules_and_is_safe_to_run_again()
    {
        using var database = new TempDatabase();
        const string email = "director@entidad.gov.co";

        await using (var usage = ProcessApp.Start(database, ProcessApp.Production(database), "create-admin"))
        {
            Assert.Equal(2, await usage.WaitForExitAsync());
            Assert.Contains("--email", usage.Output);
        }
        // A weak password is refused before the database is touched.
        await using (var weak = ProcessApp.Start(database, ProcessApp.Production(database), "create-admin", "--email", email))
        {
            await weak.WriteInputAsync("cortita1A");
            Assert.Equal(1, await weak.WaitForExitAsync());
            Assert.Contains("al menos 10 caracteres", weak.Output);
            Assert.DoesNotContain("cortita1A", weak.Output);
            Assert.False(File.Exists(database.Path));
        }
        await using (var create = ProcessApp.Start(database, ProcessApp.Production(database), "create-admin", "--email", email))
        {
            await create.WriteInputAsync("Director-Sede-2026");
            Assert.Equal(0, await create.WaitForExitAsync());
            Assert.Contains($"Administrador {email} creado", create.Output);
            Assert.DoesNotContain("Director-Sede-2026", create.Output);
        }
        await using (var again = ProcessApp.Start(database, ProcessApp.Production(database, new Dictionary<string, string> { ["TURNO_ADMIN_PASSWORD"] = "Otra-Clave-2026" }),
            "create-admin", "--email", email.ToUpperInvariant()))
        {
            Assert.Equal(1, await again.WaitForExitAsync());
            Assert.Contains("Ya existe un usuario con el correo", again.Output);
        }
    }
}
