using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Peerbucket.Storage.Metadata;

/// <summary>Opens connections to the metadata database (WAL mode, full sync: an acknowledged write survives a crash).</summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "metadata.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, Schema.Create);
    }

    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// Serializes this process's writes. SQLite allows one writer at a time; without a queue here, concurrent writers
    /// contend in SQLite's busy handler, which sleeps (1, 2, 5, ... 100 ms) instead of waiting its turn.
    /// </summary>
    public IDisposable WriteLock()
    {
        _writer.Wait();
        return new Lease(_writer);
    }

    private sealed class Lease(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // Pooled connections keep their SQLite handle, and PRAGMAs live on the handle: set them once per handle.
        if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
        {
            Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;");
            _configured.AddOrUpdate(handle, Configured);
        }

        return connection;
    }

    private static readonly object Configured = new();
    private readonly ConditionalWeakTable<object, object> _configured = new();

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    internal static long ToMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
