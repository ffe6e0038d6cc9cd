using Microsoft.Extensions.Options;

namespace TurnoDigital.Tests.Support;

/// <summary>Options that are what the test says, for services built by hand.</summary>
public sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
