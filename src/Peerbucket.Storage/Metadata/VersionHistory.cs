using Microsoft.Data.Sqlite;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

/// <summary>
/// The steps that keep a key's versions, inside a write transaction. The invariant: the key's newest version, when it
/// is not a delete marker, is its row in <c>objects</c> (so reads, listings, torrents and the seeder see current
/// objects only there); every other version and every delete marker is a row of <c>object_versions</c>, ordered by
/// <c>seq</c> (higher is newer; all are older than the <c>objects</c> row).
/// </summary>
internal static class VersionHistory
{
    /// <summary>The columns an <c>objects</c> row and an <c>object_versions</c> row share.</summary>
    public const string SharedColumns = "bucket, key, version_id, blob, size, etag, modified_ms, headers, user_meta, checksums, acl, facts, tags, parts, lock, grants";

    /// <summary>How many columns <see cref="SharedColumns"/> names (queries add theirs after).</summary>
    public const int SharedCount = 16;

    /// <summary>A new version id: 32 hex digits, time-ordered (UUID v7), never "null".</summary>
    public static string NewVersionId() => Guid.CreateVersion7().ToString("N");

    /// <summary>The bucket's versioning, read in the transaction; NoSuchBucket when it does not exist.</summary>
    public static Model.VersioningState StateOf(SqliteConnection connection, string bucket)
    {
        using var command = Command(connection, "SELECT versioning FROM buckets WHERE name = $b", ("$b", bucket));
        return command.ExecuteScalar() is long state
            ? (Model.VersioningState)state
            : throw new StorageException(StorageError.NoSuchBucket, bucket);
    }

    /// <summary>Moves the key's current object (if any) into the history, its content index keys with it (a noncurrent
    /// version is still served by its info-hashes).</summary>
    public static void RetireCurrent(SqliteConnection connection, string bucket, byte[] key)
    {
        using var move = Command(connection, $"""
            INSERT INTO object_versions({SharedColumns}, seq, delete_marker)
            SELECT {SharedColumns}, $seq, 0 FROM objects WHERE bucket = $b AND key = $k;
            INSERT INTO version_index(index_key, bucket, key, seq)
            SELECT index_key, bucket, key, $seq FROM content_index WHERE bucket = $b AND key = $k;
            DELETE FROM objects WHERE bucket = $b AND key = $k;
            DELETE FROM content_index WHERE bucket = $b AND key = $k;
            """, ("$b", bucket), ("$k", key), ("$seq", NextSeq(connection, bucket, key)));
        move.ExecuteNonQuery();
    }

    /// <summary>Adds a delete marker as the key's newest version (the caller retired the current object first).</summary>
    public static void AddDeleteMarker(SqliteConnection connection, string bucket, byte[] key, string? versionId, DateTimeOffset now)
    {
        using var insert = Command(connection, $$"""
            INSERT INTO object_versions({{SharedColumns}}, seq, delete_marker)
            VALUES ($b, $k, $v, NULL, 0, '', $m, '{}', '{}', '{}', 0, NULL, '{}', '', '', '', $seq, 1)
            """, ("$b", bucket), ("$k", key), ("$v", versionId), ("$m", ToMs(now)), ("$seq", NextSeq(connection, bucket, key)));
        insert.ExecuteNonQuery();
    }

    /// <summary>Removes the key's null version from the history (a suspended bucket's write or delete replaces it);
    /// returns its blob, if it was an object.</summary>
    public static string? RemoveNullVersion(SqliteConnection connection, string bucket, byte[] key) =>
        Remove(connection, bucket, key, null).Blob;

    /// <summary>Removes one version from the history (and its content index keys); returns whether it existed, whether
    /// it was a delete marker, and its blob.</summary>
    public static (bool Found, bool DeleteMarker, string? Blob) Remove(SqliteConnection connection, string bucket, byte[] key, string? versionId)
    {
        long seq;
        (bool, bool, string?) removed;
        using (var delete = Command(connection,
            "DELETE FROM object_versions WHERE bucket = $b AND key = $k AND version_id IS $v RETURNING seq, delete_marker, blob",
            ("$b", bucket), ("$k", key), ("$v", versionId)))
        using (var reader = delete.ExecuteReader())
        {
            if (!reader.Read())
            {
                return (false, false, null);
            }

            seq = reader.GetInt64(0);
            removed = (true, reader.GetInt64(1) == 1, reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        DropIndexKeys(connection, bucket, key, seq);
        return removed;
    }

    private static void DropIndexKeys(SqliteConnection connection, string bucket, byte[] key, long seq)
    {
        using var command = Command(connection, "DELETE FROM version_index WHERE bucket = $b AND key = $k AND seq = $s",
            ("$b", bucket), ("$k", key), ("$s", seq));
        command.ExecuteNonQuery();
    }

    /// <summary>When the key has no current object and its newest remaining version is an object, makes that version
    /// current again (with its content index keys), keeping the invariant after a version was removed.</summary>
    public static void PromoteNewest(SqliteConnection connection, string bucket, byte[] key)
    {
        using (var current = Command(connection, "SELECT 1 FROM objects WHERE bucket = $b AND key = $k", ("$b", bucket), ("$k", key)))
        {
            if (current.ExecuteScalar() is not null)
            {
                return;
            }
        }

        long seq;
        using (var newest = Command(connection,
            "SELECT seq, delete_marker FROM object_versions WHERE bucket = $b AND key = $k ORDER BY seq DESC LIMIT 1",
            ("$b", bucket), ("$k", key)))
        using (var reader = newest.ExecuteReader())
        {
            if (!reader.Read() || reader.GetInt64(1) == 1)
            {
                return;
            }

            seq = reader.GetInt64(0);
        }

        using var move = Command(connection, $"""
            INSERT INTO objects({SharedColumns}) SELECT {SharedColumns} FROM object_versions WHERE bucket = $b AND key = $k AND seq = $s;
            INSERT OR IGNORE INTO content_index(index_key, bucket, key)
            SELECT index_key, bucket, key FROM version_index WHERE bucket = $b AND key = $k AND seq = $s;
            DELETE FROM version_index WHERE bucket = $b AND key = $k AND seq = $s;
            DELETE FROM object_versions WHERE bucket = $b AND key = $k AND seq = $s;
            """, ("$b", bucket), ("$k", key), ("$s", seq));
        move.ExecuteNonQuery();
    }

    private static long NextSeq(SqliteConnection connection, string bucket, byte[] key)
    {
        using var command = Command(connection, "SELECT COALESCE(MAX(seq), 0) + 1 FROM object_versions WHERE bucket = $b AND key = $k",
            ("$b", bucket), ("$k", key));
        return (long)command.ExecuteScalar()!;
    }
}
