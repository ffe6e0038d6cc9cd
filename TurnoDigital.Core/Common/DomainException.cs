namespace TurnoDigital.Core.Common;

/// <summary>An illegal move in the domain; its message is shown to the user as is (Spanish).</summary>
public class DomainException(string message) : Exception(message);

/// <summary>The row changed since the user last saw it (another agent, another tab).</summary>
public sealed class StaleStateException(string message) : DomainException(message);
