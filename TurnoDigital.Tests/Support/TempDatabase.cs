namespace TurnoDigital.Tests.Support;

/// <summary>A real SQLite file in a fresh temp folder, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("turno-test-").FullName;
    public string Path => System.IO.Path.Combine(Folder, "turno.db");
    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
