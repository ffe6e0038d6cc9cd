using System.Globalization;
using Microsoft.AspNetCore.Identity;
using TurnoDigital.Core;
using TurnoDigital.Core.Common;
using TurnoDigital.Core.Identity;

namespace TurnoDigital.Web;

/// <summary>
/// <c>create-admin --email x@y [--name "Nombre"]</c>: the first administrator of a real installation, without the demo.
/// The password comes from TURNO_ADMIN_PASSWORD or standard input (never echoed); the database is migrated first.
/// Exit codes: 0 created, 1 refused (rules, existing email), 2 usage.
/// </summary>
public static class AdminCommand
{
    public const string Name = "create-admin", PasswordVariable = "TURNO_ADMIN_PASSWORD";
    static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-CO");

    public static bool Requested(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = Option(args, "--email");
        if (string.IsNullOrWhiteSpace(email))
        {
            Console.Error.WriteLine($"Uso: {Name} --email correo@dominio [--name \"Nombre\"]; la contraseña se lee de {PasswordVariable} o de la entrada estándar.");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password)) password = ReadPassword();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine($"Falta la contraseña: defina {PasswordVariable} o escríbala en la entrada estándar.");
            return 2;
        }

        try
        {
            // Fail fast, before touching the database (StaffAdmin checks both again).
            if (Core.Customers.EmailAddress.ParseOrNull(email) is null) throw new DomainException("Staff.BadEmail");
            StaffAdmin.CheckPassword(password);
        }
        catch (DomainException ex) { return Refused(ex); }

        await services.MigrateTurnoDatabaseAsync();
        await using (var scope = services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
                if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
            // Re-running is safe: an existing account is left exactly as it is.
            if (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email.Trim()) is not null)
            {
                Console.Error.WriteLine($"Ya existe un usuario con el correo {email.Trim()}: no se cambió nada.");
                return 1;
            }
        }
        try
        {
            await services.GetRequiredService<StaffAdmin>().CreateAsync(email, Option(args, "--name") ?? "Administrador", [Roles.Admin], password, BranchGrant.All);
        }
        catch (DomainException ex) { return Refused(ex); }
        Console.WriteLine($"Administrador {email.Trim()} creado. Inicie sesión en /account/login.");
        return 0;
    }

    static int Refused(DomainException ex)
    {
        Console.Error.WriteLine($"No se creó el administrador: {ex.MessageFor(Spanish)}");
        return 1;
    }

    static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A piped line as is; typed at a terminal, without echo.</summary>
    static string? ReadPassword()
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        Console.Write("Contraseña: ");
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        Console.WriteLine();
        return typed.ToString();
    }
}
