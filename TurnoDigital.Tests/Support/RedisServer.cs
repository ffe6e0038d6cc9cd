using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TurnoDigital.Tests.Support;

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}

/// <summary>
/// A throwaway redis-server for one test collection: a free loopback port, nothing persisted. Tests may stop it and start it
/// again on the same port, as an outage would. A missing binary fails the test with what to install; it never skips.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    readonly int port = PostgresCluster.FreePort();
    Process? process;

    /// <summary>The StackExchange.Redis configuration string, quick to notice an outage and to reconnect.</summary>
    public string Configuration => $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,keepAlive=1";

    public async Task InitializeAsync() => await StartAsync();

    public bool Running => process is not null;

    public async Task StartAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server not found. Install it: apt-get install redis-server");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
            start.ArgumentList.Add(a);
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, limit.Token);
                return;
            }
            catch (SocketException) { await Task.Delay(50, limit.Token); }
        }
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public Task DisposeAsync() => StopAsync();
}
