using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// The built app as a real process (<c>dotnet TurnoDigital.Web.dll</c> from the Web project's output folder) on a loopback port,
/// with its own SQLite file and settings passed as environment variables, the way an installation runs it.
/// </summary>
public sealed partial class ProcessApp : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly TaskCompletionSource<string> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = "";

    /// <summary>Everything the process wrote so far (standard output and error).</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public static string SolutionFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TurnoDigital.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("TurnoDigital.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The Web project's own output for the configuration and framework this test assembly was built with.</summary>
    public static string WebDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory);
            return Path.Combine(SolutionFolder, "TurnoDigital.Web", "bin", tfm.Parent!.Name, tfm.Name, "TurnoDigital.Web.dll");
        }
    }

    /// <summary>Production settings on <paramref name="database"/>'s file and folder; <paramref name="settings"/> adds or overrides (Section__Key).</summary>
    public static Dictionary<string, string> Production(TempDatabase database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Logging__File"] = Path.Combine(database.Folder, "logs", "turno-.log"),
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        return env;
    }

    ProcessApp(IReadOnlyDictionary<string, string> environment, string workingFolder, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingFolder, UseShellExecute = false,
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        start.ArgumentList.Add(WebDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
    }

    void Received(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
        if (ListeningOn().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
    }

    /// <summary>Starts the app; <see cref="WaitUntilHealthyAsync"/> or <see cref="WaitForExitAsync"/> tells how it went.</summary>
    public static ProcessApp Start(TempDatabase database, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        if (!File.Exists(WebDll)) throw new InvalidOperationException("Build the solution first: " + WebDll);
        var app = new ProcessApp(environment, database.Folder, args);
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    public async Task WriteInputAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        process.StandardInput.Close();
    }

    /// <summary>The exit code; fails when the process is still running after <paramref name="seconds"/>.</summary>
    public async Task<int> WaitForExitAsync(int seconds = 180)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { Assert.Fail($"Still running after {seconds} s:\n{Output}"); }
        process.WaitForExit(); // the documented way to let the redirected output's last lines arrive
        return process.ExitCode;
    }

    /// <summary>Waits for the listening address, then for /health to answer 200 (each within <paramref name="seconds"/>).</summary>
    public async Task<HttpClient> WaitUntilHealthyAsync(int seconds = 180)
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(first == listening.Task, $"The app did not start listening (exited: {process.HasExited}):\n{Output}");
        BaseUrl = (await listening.Task).Replace("0.0.0.0", "127.0.0.1");
        var client = new HttpClient(new LoopbackCookies { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false } }) { BaseAddress = new Uri(BaseUrl) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return client;
            }
            catch (HttpRequestException) { }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds) && !process.HasExited, $"/health never answered 200:\n{Output}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally { process.Dispose(); }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    /// <summary>
    /// Keeps the app's cookies like a browser on loopback does: outside Development they are all Secure, and .NET's own cookie
    /// jar would keep those for HTTPS only (Chromium accepts them on 127.0.0.1).
    /// </summary>
    sealed class LoopbackCookies : DelegatingHandler
    {
        readonly Dictionary<string, string> jar = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
            var response = await base.SendAsync(request, ct);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=');
                if (eq <= 0) continue;
                var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) jar.Remove(name);
                else jar[name] = value;
            }
            return response;
        }
    }
}
