using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TurnoDigital.Tests.Support;

/// <summary>
/// Debian's nginx on a free loopback port in front of two app nodes, with the site configuration <c>docs/DEPLOY.md</c> shows
/// (<see cref="SiteTemplate"/>, filled in) inside a main configuration whose pid, logs and temp files live in a temp folder.
/// Runs as root (CI) and as any other user. A missing binary fails the test with what to install; it never skips.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    Process? process;

    public string Folder { get; } = Directory.CreateTempSubdirectory("turno-nginx-").FullName;
    public int Port { get; } = PostgresCluster.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    /// <summary>One line per request: the status, the method, the path and (after a '|') the node's address.</summary>
    public string AccessLog => Path.Combine(Folder, "access.log");

    /// <summary>The site part of the configuration, as documented in docs/DEPLOY.md.</summary>
    public static string SiteTemplate => Path.Combine(ProcessApp.SolutionFolder, "docs", "deploy", "nginx-turno.conf");

    public static async Task<NginxServer> StartAsync(string nodeA, string nodeB)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx not found. Install it: apt-get install nginx");
        var nginx = new NginxServer();
        var site = (await File.ReadAllTextAsync(SiteTemplate))
            .Replace("{{LISTEN}}", $"127.0.0.1:{nginx.Port}").Replace("{{NODE_A}}", nodeA).Replace("{{NODE_B}}", nodeB);
        await File.WriteAllTextAsync(Path.Combine(nginx.Folder, "turno.conf"), site);
        var temp = (string name) => Path.Combine(nginx.Folder, name);
        // As root nginx would run its workers as nobody, who cannot enter the (private) temp folder.
        await File.WriteAllTextAsync(temp("nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{temp("nginx.pid")}};
            error_log {{temp("error.log")}} warn;
            events { worker_connections 1024; }
            http {
                log_format turno '$status $request_method $uri|$upstream_addr';
                access_log {{temp("access.log")}} turno;
                client_body_temp_path {{temp("body")}};
                proxy_temp_path {{temp("proxy")}};
                fastcgi_temp_path {{temp("fastcgi")}};
                uwsgi_temp_path {{temp("uwsgi")}};
                scgi_temp_path {{temp("scgi")}};
                include {{temp("turno.conf")}};
            }
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-p", nginx.Folder, "-c", temp("nginx.conf"), "-g", "daemon off;" }) start.ArgumentList.Add(a);
        nginx.process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx");
        var error = nginx.process.StandardError.ReadToEndAsync();
        _ = nginx.process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (nginx.process.HasExited)
                throw new InvalidOperationException($"nginx exited with {nginx.process.ExitCode}: {await error}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, nginx.Port, limit.Token);
                return nginx;
            }
            catch (SocketException) { await Task.Delay(50, limit.Token); }
        }
    }

    /// <summary>How many requests nginx passed to each node address so far.</summary>
    public Dictionary<string, int> RequestsPerNode()
    {
        using var stream = new FileStream(AccessLog, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var counts = new Dictionary<string, int>();
        while (reader.ReadLine() is { } line)
            foreach (var node in line[(line.LastIndexOf('|') + 1)..].Split(", ")) // "a, b" when nginx tried a and went on to b
                counts[node] = counts.GetValueOrDefault(node) + 1;
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
