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
        Schema.Migrate(connection);
    }

    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction, this process's writes one at a time: SQLite allows one
    /// writer, and without a queue here concurrent writers contend in SQLite's busy handler, which sleeps (1, 2, 5,
    /// ... 100 ms) instead of waiting its turn. The turn is awaited, never blocked on. Commits before returning.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var result = work(connection);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writer.Release();
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
