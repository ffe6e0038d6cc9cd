using System.Diagnostics;

/// <summary>
/// The app in a child process of its own (this program with a server mode), so that the load client's CPU and memory stay
/// out of the server's figures. The child answers each command with one line starting with <see cref="Tag"/>.
/// </summary>
sealed class ChildServer : IDisposable
{
    public const string Tag = "@@ ";

    readonly Process process;

    public ChildServer(string mode, params string[] args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ChildServer).Assembly.Location);
        start.ArgumentList.Add(mode);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        process = Process.Start(start)!;
    }

    /// <summary>Sends a command and waits for its answer; "url" only waits for the first answer (the server's address).</summary>
    public async Task<string> AskAsync(string command)
    {
        if (command != "url") await process.StandardInput.WriteLineAsync(command);
        while (await process.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith(Tag, StringComparison.Ordinal)) return line[Tag.Length..];
        throw new InvalidOperationException("The bench server stopped.");
    }

    /// <summary>User + system CPU time of the server process, from /proc/&lt;pid&gt;/stat.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
    }

    public void Dispose()
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.Dispose();
    }
}
