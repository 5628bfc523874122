using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

/// <summary>Reads of a key's versions (current, noncurrent, delete markers); writes go through <see cref="ObjectRepository"/>.</summary>
public sealed class VersionRepository(SqliteDatabase database)
{
    private const int BatchSize = 256;

    /// <summary>Every version of the keys the condition <c>{0}</c> selects, with its position in the key's version
    /// order (the current object's is <see cref="long.MaxValue"/>, history rows' their seq) and whether it is the key's
    /// latest.</summary>
    private const string AllVersions = $$"""
        SELECT {{VersionHistory.SharedColumns}}, 9223372036854775807 AS pos, 0 AS delete_marker, 1 AS latest FROM objects WHERE bucket = $b AND {0}
        UNION ALL
        SELECT {{VersionHistory.SharedColumns}}, seq AS pos, delete_marker,
            NOT EXISTS (SELECT 1 FROM objects o WHERE o.bucket = v.bucket AND o.key = v.key)
            AND seq = (SELECT MAX(seq) FROM object_versions w WHERE w.bucket = v.bucket AND w.key = v.key) AS latest
        FROM object_versions v WHERE bucket = $b AND {0}
        """;

    /// <summary>Version <paramref name="versionId"/> of the key ("null": the null version), or null when there is none.</summary>
    public ObjectVersion? Get(string bucket, string key, string versionId)
    {
        using var connection = database.Open();
        using var command = Command(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, AllVersions, "key = $k AND version_id IS $v"),
            ("$b", bucket), ("$k", KeyBytes.Of(key)), ("$v", versionId == "null" ? null : versionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>The key's newest version (its current object or the delete marker on top), or null when it has none.</summary>
    public ObjectVersion? Latest(string bucket, string key)
    {
        using var connection = database.Open();
        using var command = Command(connection,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, AllVersions, "key = $k") + " ORDER BY pos DESC LIMIT 1",
            ("$b", bucket), ("$k", KeyBytes.Of(key)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>True when the bucket holds any version or delete marker (it cannot be deleted then).</summary>
    internal static bool Any(SqliteConnection connection, string bucket)
    {
        using var command = Command(connection, "SELECT 1 FROM object_versions WHERE bucket = $b LIMIT 1", ("$b", bucket));
        return command.ExecuteScalar() is not null;
    }

    /// <summary>
    /// One page of ListObjectVersions: versions by key (byte order), newest first within a key, after
    /// (<paramref name="keyMarker"/>, <paramref name="versionIdMarker"/>): with a version id marker, after that version
    /// of that key; without, after every version of the key. Keys holding <paramref name="delimiter"/> after the
    /// prefix roll up into common prefixes, as in ListObjects.
    /// </summary>
    public VersionPage List(string bucket, string prefix, string? delimiter, string? keyMarker, string? versionIdMarker, int maxKeys)
    {
        var versions = new List<ObjectVersion>();
        var prefixes = new List<string>();
        if (maxKeys <= 0)
        {
            return new VersionPage(versions, prefixes, false, null, null);
        }

        using var connection = database.Open();
        var prefixBytes = KeyBytes.Of(prefix);
        var end = KeyBytes.PrefixEnd(prefixBytes);
        var rollUp = !string.IsNullOrEmpty(delimiter);
        var cursor = Start(connection, bucket, prefix, delimiter, keyMarker, versionIdMarker);
        while (true)
        {
            var batch = ReadBatch(connection, bucket, prefixBytes, end, cursor);
            var rolled = false;
            foreach (var version in batch)
            {
                if (versions.Count + prefixes.Count == maxKeys)
                {
                    var last = versions.Count > 0 && (prefixes.Count == 0 || string.CompareOrdinal(versions[^1].Key, prefixes[^1]) > 0)
                        ? versions[^1] : null;
                    return last is null
                        ? new VersionPage(versions, prefixes, true, prefixes[^1], null)
                        : new VersionPage(versions, prefixes, true, last.Key, last.VersionId ?? "null");
                }

                var cut = rollUp ? version.Key.IndexOf(delimiter!, prefix.Length, StringComparison.Ordinal) : -1;
                if (cut >= 0)
                {
                    var common = version.Key[..(cut + delimiter!.Length)];
                    prefixes.Add(common);
                    cursor = Cursor.From(KeyBytes.PrefixEnd(KeyBytes.Of(common)));
                    rolled = true;
                    break;
                }

                versions.Add(version);
                cursor = new Cursor(KeyBytes.Of(version.Key), version.Position, Inclusive: false);
            }

            if ((!rolled && batch.Count < BatchSize) || cursor is null)
            {
                return new VersionPage(versions, prefixes, false, null, null);
            }
        }
    }

    /// <summary>Where a listing resumes: keys after <see cref="Key"/> (or from it, <see cref="Inclusive"/>), and within
    /// <see cref="Key"/> itself the versions older than <see cref="Position"/>.</summary>
    private sealed record Cursor(byte[] Key, long Position, bool Inclusive)
    {
        public static Cursor? From(byte[]? key) => key is null ? null : new Cursor(key, long.MinValue, Inclusive: true);
    }

    private static Cursor? Start(SqliteConnection connection, string bucket, string prefix, string? delimiter, string? keyMarker, string? versionIdMarker)
    {
        if (string.IsNullOrEmpty(keyMarker))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(delimiter) && keyMarker.StartsWith(prefix, StringComparison.Ordinal))
        {
            // A marker inside a common prefix (NextKeyMarker is one) continues after the whole prefix.
            var cut = keyMarker.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (cut >= 0)
            {
                return Cursor.From(KeyBytes.PrefixEnd(KeyBytes.Of(keyMarker[..(cut + delimiter.Length)])))
                    ?? new Cursor(KeyBytes.Of(keyMarker), long.MinValue, Inclusive: false);
            }
        }

        var key = KeyBytes.Of(keyMarker);
        if (string.IsNullOrEmpty(versionIdMarker))
        {
            return new Cursor(key, long.MinValue, Inclusive: false);
        }

        using var command = Command(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "SELECT pos FROM (" + AllVersions + ")", "key = $k AND version_id IS $v"),
            ("$b", bucket), ("$k", key), ("$v", versionIdMarker == "null" ? null : versionIdMarker));
        return new Cursor(key, command.ExecuteScalar() is long position ? position : long.MinValue, Inclusive: false);
    }

    private static List<ObjectVersion> ReadBatch(SqliteConnection connection, string bucket, byte[] prefix, byte[]? end, Cursor? cursor)
    {
        var keys = "key >= $p" + (end is null ? "" : " AND key < $e") + (cursor is null ? "" : " AND key >= $a");
        var sql = "SELECT * FROM (" + string.Format(System.Globalization.CultureInfo.InvariantCulture, AllVersions, keys) + ")"
            + (cursor is null or { Inclusive: true } ? "" : " WHERE key > $a OR (key = $a AND pos < $ap)")
            + $" ORDER BY key, pos DESC LIMIT {BatchSize}";
        using var command = Command(connection, sql, ("$b", bucket), ("$p", prefix));
        if (end is not null)
        {
            command.Parameters.AddWithValue("$e", end);
        }

        if (cursor is not null)
        {
            command.Parameters.AddWithValue("$a", cursor.Key);
            command.Parameters.AddWithValue("$ap", cursor.Position);
        }

        using var reader = command.ExecuteReader();
        var list = new List<ObjectVersion>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    private static ObjectVersion Read(SqliteDataReader reader)
    {
        var record = ObjectRepository.Read(reader);
        const int position = VersionHistory.SharedCount;
        var deleteMarker = reader.GetInt64(position + 1) == 1;
        return new ObjectVersion(record.Key, record.VersionId, record.LastModified, reader.GetInt64(position + 2) == 1, deleteMarker ? null : record)
        {
            Position = reader.GetInt64(position),
        };
    }
}
