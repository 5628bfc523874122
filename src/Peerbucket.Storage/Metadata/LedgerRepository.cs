using Peerbucket.Storage.Accounting;

namespace Peerbucket.Storage.Metadata;

/// <summary>
/// The publisher's ledger kept across restarts: per object (bucket, key) the origin's bytes by path and what the swarm
/// reported, plus one row of totals under the bucket name <c>""</c> (no bucket has it). Rows outlive their objects:
/// the bill is for what was sent, whatever happened to the object afterwards.
/// </summary>
public sealed class LedgerRepository(SqliteDatabase database)
{
    private const string Columns = "seeder, web_seed, range_get, plain_get, peer_downloaded, completed";

    /// <summary>The totals row, or null when nothing was ever recorded.</summary>
    public ObjectEgress? LoadTotals()
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
            $"SELECT bucket, key, {Columns} FROM ledger WHERE bucket = '' AND key = x''");
        using var reader = command.ExecuteReader();
        return reader.Read() ? Row(reader) : null;
    }

    /// <summary>Up to <paramref name="limit"/> objects' rows, the most recently updated first.</summary>
    public IReadOnlyList<ObjectEgress> LoadObjects(int limit)
    {
        using var connection = database.Open();
        using var command = SqliteDatabase.Command(connection,
            $"SELECT bucket, key, {Columns} FROM ledger WHERE bucket <> '' ORDER BY updated_ms DESC LIMIT $limit", ("$limit", limit));
        using var reader = command.ExecuteReader();
        var rows = new List<ObjectEgress>();
        while (reader.Read())
        {
            rows.Add(Row(reader));
        }

        return rows;
    }

    /// <summary>Adds the changes (from <see cref="EgressMeter.TakeChanges"/>) to the stored rows, in one transaction.</summary>
    public Task AddAsync(ObjectEgress totals, IReadOnlyList<ObjectEgress> objects, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(connection =>
        {
            foreach (var row in objects.Prepend(totals with { Bucket = "", Key = "" }))
            {
                using var command = SqliteDatabase.Command(connection, $"""
                    INSERT INTO ledger(bucket, key, {Columns}, updated_ms) VALUES($b, $k, $s, $w, $r, $p, $d, $c, $t)
                    ON CONFLICT(bucket, key) DO UPDATE SET
                        seeder = seeder + excluded.seeder, web_seed = web_seed + excluded.web_seed,
                        range_get = range_get + excluded.range_get, plain_get = plain_get + excluded.plain_get,
                        peer_downloaded = peer_downloaded + excluded.peer_downloaded,
                        completed = completed + excluded.completed, updated_ms = excluded.updated_ms
                    """,
                    ("$b", row.Bucket), ("$k", KeyBytes.Of(row.Key)), ("$s", row.Seeder), ("$w", row.WebSeed),
                    ("$r", row.RangeGet), ("$p", row.PlainGet), ("$d", row.PeerDownloaded), ("$c", row.CompletedDownloads),
                    ("$t", SqliteDatabase.ToMs(now)));
                command.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken);

    private static ObjectEgress Row(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0), KeyBytes.ToKey((byte[])reader[1]),
        Seeder: reader.GetInt64(2), WebSeed: reader.GetInt64(3), RangeGet: reader.GetInt64(4), PlainGet: reader.GetInt64(5),
        PeerDownloaded: reader.GetInt64(6), CompletedDownloads: reader.GetInt64(7));
}
