using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Metadata;

namespace Peerbucket.Storage.Tests;

/// <summary>Every connection handed out, new or from the pool, runs with the durability settings.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-sqlite-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void PooledAndFreshConnectionsAllHaveFullSyncForeignKeysAndWal()
    {
        var database = new SqliteDatabase(_directory);
        var open = new List<SqliteConnection>();
        for (var round = 0; round < 3; round++)
        {
            // Several at once (fresh handles), then closed back into the pool and opened again (reused handles).
            for (var i = 0; i < 4; i++)
            {
                open.Add(database.Open());
            }

            foreach (var connection in open)
            {
                Assert.Equal(2, Pragma(connection, "synchronous"));
                Assert.Equal(1, Pragma(connection, "foreign_keys"));
                Assert.Equal(30000, Pragma(connection, "busy_timeout"));
                using var mode = connection.CreateCommand();
                mode.CommandText = "PRAGMA journal_mode;";
                Assert.Equal("wal", mode.ExecuteScalar() as string);
            }

            open.ForEach(c => c.Dispose());
            open.Clear();
        }
    }
}
