using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

public sealed class ObjectRepository(SqliteDatabase database, ObjectChanges changes)
{
    private const int BatchSize = 256;
    private const string Columns = VersionHistory.SharedColumns;

    /// <summary>The key's current object; null when it has none (never written, deleted, or hidden by a delete marker).</summary>
    public ObjectRecord? Get(string bucket, string key)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"SELECT {Columns} FROM objects WHERE bucket = $b AND key = $k",
            ("$b", bucket), ("$k", KeyBytes.Of(key)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Makes a published blob the current version of its key, atomically: in a versioned bucket the object it
    /// replaces becomes a noncurrent version, otherwise its blob is released.</summary>
    public async Task<WriteOutcome> CommitAsync(ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        var outcome = await database.WriteAsync(connection => CommitInTransaction(connection, write, blobId, size, now));
        changes.Publish(write.Bucket, write.Key);
        return outcome;
    }

    internal static WriteOutcome CommitInTransaction(SqliteConnection connection, ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        var state = VersionHistory.StateOf(connection, write.Bucket);
        var key = KeyBytes.Of(write.Key);
        var current = Current(connection, write.Bucket, key);
        if (write.Precondition?.FailedOver(current?.ETag, write.Key) is { } failed)
        {
            throw new StorageException(StorageError.PreconditionFailed, failed);
        }

        var released = new List<string>();
        if (current is { } replaced)
        {
            if (state == VersioningState.Unversioned || (state == VersioningState.Suspended && replaced.VersionId is null))
            {
                released.Add(replaced.Blob); // the row is replaced below
            }
            else
            {
                VersionHistory.RetireCurrent(connection, write.Bucket, key);
            }
        }

        if (state == VersioningState.Suspended && VersionHistory.RemoveNullVersion(connection, write.Bucket, key) is { } nullBlob)
        {
            released.Add(nullBlob);
        }

        var versionId = state == VersioningState.Enabled ? VersionHistory.NewVersionId() : null;
        using var upsert = Command(connection, $"""
            INSERT OR REPLACE INTO objects({Columns}) VALUES ($b, $k, $v, $blob, $size, $etag, $m, $h, $u, $c, $acl, $f, $t, $p, $l, $g)
            """,
            ("$b", write.Bucket), ("$k", key), ("$v", versionId), ("$blob", blobId), ("$size", size), ("$etag", write.ETag),
            ("$m", ToMs(now)), ("$h", Json.Write(write.Attributes.Headers)), ("$u", Json.Write(write.Attributes.UserMetadata)),
            ("$c", Json.Write(write.Checksums)), ("$acl", (int)write.Attributes.Acl), ("$f", write.Content?.Bytes),
            ("$t", Json.Write(write.Attributes.Tags)), ("$p", Json.WriteParts(write.Parts)), ("$l", Json.WriteLock(write.Attributes.Lock)),
            ("$g", Json.WriteGrants(write.Attributes.Grants)));
        upsert.ExecuteNonQuery();
        ReplaceIndexKeys(connection, write.Bucket, key, write.Content?.IndexKeys ?? []);
        return new WriteOutcome(released, versionId); // a null version's write reports none, as in S3
    }

    private static (string Blob, string ETag, string? VersionId)? Current(SqliteConnection connection, string bucket, byte[] key)
    {
        using var select = Command(connection, "SELECT blob, etag, version_id FROM objects WHERE bucket = $b AND key = $k", ("$b", bucket), ("$k", key));
        using var reader = select.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : null;
    }

    private static void ReplaceIndexKeys(SqliteConnection connection, string bucket, byte[] key, IReadOnlyList<byte[]> indexKeys)
    {
        using (var delete = Command(connection, "DELETE FROM content_index WHERE bucket = $b AND key = $k", ("$b", bucket), ("$k", key)))
        {
            delete.ExecuteNonQuery();
        }

        foreach (var indexKey in indexKeys)
        {
            using var insert = Command(connection, "INSERT OR IGNORE INTO content_index(index_key, bucket, key) VALUES ($i, $b, $k)",
                ("$i", indexKey), ("$b", bucket), ("$k", key));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The objects committed with <paramref name="indexKey"/> among their content index keys: current ones
    /// first, then noncurrent versions (which keep their index keys); a few at most.</summary>
    public IReadOnlyList<(ObjectRecord Object, bool IsCurrent)> FindByIndexKey(byte[] indexKey)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"""
            SELECT * FROM (SELECT {Prefixed("o")}, 1 AS current FROM content_index i
                JOIN objects o ON o.bucket = i.bucket AND o.key = i.key WHERE i.index_key = $i LIMIT 16)
            UNION ALL
            SELECT * FROM (SELECT {Prefixed("v")}, 0 AS current FROM version_index x
                JOIN object_versions v ON v.bucket = x.bucket AND v.key = x.key AND v.seq = x.seq WHERE x.index_key = $i LIMIT 16)
            """, ("$i", indexKey));
        using var reader = command.ExecuteReader();
        var list = new List<(ObjectRecord, bool)>();
        while (reader.Read())
        {
            list.Add((Read(reader), reader.GetInt64(VersionHistory.SharedCount) == 1));
        }

        return list;
    }

    private static string Prefixed(string alias) => string.Join(", ", Columns.Split(", ").Select(c => alias + "." + c));

    /// <summary>
    /// Deletes as S3's DeleteObject does. Without <paramref name="versionId"/>: an unversioned bucket drops the current
    /// object; a versioned one puts a delete marker on top (an enabled bucket's with a new id, a suspended bucket's as the
    /// null version, replacing the null version). With it ("null" names the null version): that version is removed for
    /// good, and when it was the newest, the next one down becomes current again. A missing key or version is no error.
    /// A version under Object Lock (a legal hold, a retention not run out) is not removed: ObjectLocked, unless its
    /// retention is governance and <paramref name="bypassGovernance"/> is set.
    /// </summary>
    public async Task<WriteOutcome> DeleteAsync(string bucket, string key, string? versionId = null, DateTimeOffset? now = null,
        bool bypassGovernance = false)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var outcome = await database.WriteAsync(connection => versionId is null
            ? DeleteCurrent(connection, bucket, KeyBytes.Of(key), at)
            : DeleteVersion(connection, bucket, KeyBytes.Of(key), versionId, at, bypassGovernance));
        if (outcome.Released.Count > 0 || outcome.DeleteMarker)
        {
            changes.Publish(bucket, key); // something was there (every object has a blob)
        }

        return outcome;
    }

    private static WriteOutcome DeleteCurrent(SqliteConnection connection, string bucket, byte[] key, DateTimeOffset now)
    {
        var state = VersionHistory.StateOf(connection, bucket);
        var current = Current(connection, bucket, key);
        var released = new List<string>();
        if (state == VersioningState.Unversioned || (state == VersioningState.Suspended && current is { VersionId: null }))
        {
            if (current is { } dropped)
            {
                DropCurrent(connection, bucket, key);
                released.Add(dropped.Blob);
            }

            if (state == VersioningState.Unversioned)
            {
                return new WriteOutcome(released, null);
            }
        }
        else
        {
            VersionHistory.RetireCurrent(connection, bucket, key);
        }

        string? markerId = null;
        if (state == VersioningState.Suspended)
        {
            if (VersionHistory.RemoveNullVersion(connection, bucket, key) is { } nullBlob)
            {
                released.Add(nullBlob);
            }
        }
        else
        {
            markerId = VersionHistory.NewVersionId();
        }

        VersionHistory.AddDeleteMarker(connection, bucket, key, markerId, now);
        return new WriteOutcome(released, markerId ?? "null", DeleteMarker: true);
    }

    private static WriteOutcome DeleteVersion(SqliteConnection connection, string bucket, byte[] key, string versionId,
        DateTimeOffset now, bool bypassGovernance)
    {
        VersionHistory.StateOf(connection, bucket);
        var id = versionId == "null" ? null : versionId;
        if (LockOf(connection, bucket, key, id)?.RefusesDelete(now, bypassGovernance) is { } reason)
        {
            throw new StorageException(StorageError.ObjectLocked, reason);
        }

        var released = new List<string>();
        var deleteMarker = false;
        if (Current(connection, bucket, key) is { } current && current.VersionId == id)
        {
            DropCurrent(connection, bucket, key);
            released.Add(current.Blob);
        }
        else
        {
            var (_, marker, blob) = VersionHistory.Remove(connection, bucket, key, id);
            deleteMarker = marker;
            if (blob is not null)
            {
                released.Add(blob);
            }
        }

        VersionHistory.PromoteNewest(connection, bucket, key);
        return new WriteOutcome(released, versionId, deleteMarker);
    }

    /// <summary>The lock of version <paramref name="id"/> (null: the null version) of the key; null when there is no such
    /// object version.</summary>
    private static ObjectLock? LockOf(SqliteConnection connection, string bucket, byte[] key, string? id)
    {
        using var command = Command(connection, """
            SELECT lock FROM objects WHERE bucket = $b AND key = $k AND version_id IS $v
            UNION ALL SELECT lock FROM object_versions WHERE bucket = $b AND key = $k AND version_id IS $v AND delete_marker = 0
            """, ("$b", bucket), ("$k", key), ("$v", id));
        return command.ExecuteScalar() is string text ? Json.ReadLock(text) : null;
    }

    /// <summary>Changes the lock of the current object or of a version, in one transaction: <paramref name="change"/>
    /// sees the lock as it is and returns the new one (or throws to refuse). NoSuchKey / NoSuchVersion when there is
    /// no such object.</summary>
    public async Task SetLockAsync(string bucket, string key, string? versionId, Func<ObjectLock, ObjectLock> change)
    {
        await database.WriteAsync(connection =>
        {
            var keyBytes = KeyBytes.Of(key);
            string? id;
            if (versionId is null)
            {
                id = Current(connection, bucket, keyBytes) is { } current ? current.VersionId : throw new StorageException(StorageError.NoSuchKey, key);
            }
            else
            {
                id = versionId == "null" ? null : versionId;
            }

            var now = LockOf(connection, bucket, keyBytes, id) ?? throw (versionId is null
                ? new StorageException(StorageError.NoSuchKey, key)
                : new StorageException(StorageError.NoSuchVersion, versionId));
            return UpdateVersion(connection, "lock = $x", [("$x", Json.WriteLock(change(now)))], bucket, key, versionId);
        });
        changes.Publish(bucket, key);
    }

    private static void DropCurrent(SqliteConnection connection, string bucket, byte[] key)
    {
        using var command = Command(connection, "DELETE FROM objects WHERE bucket = $b AND key = $k", ("$b", bucket), ("$k", key));
        command.ExecuteNonQuery();
        ReplaceIndexKeys(connection, bucket, key, []);
    }

    /// <summary>Sets the ACL (canned part and grants) of the current object, or of version <paramref name="versionId"/>
    /// ("null": the null version).</summary>
    public async Task SetAclAsync(string bucket, string key, CannedAcl acl, string? versionId = null, IReadOnlyList<Grant>? grants = null)
    {
        await database.WriteAsync(connection =>
            UpdateVersion(connection, "acl = $a, grants = $g", [("$a", (int)acl), ("$g", Json.WriteGrants(grants ?? []))], bucket, key, versionId));
        changes.Publish(bucket, key);
    }

    /// <summary>Replaces the tags (empty: none) of the current object or of a version. Tags are not the object's bytes:
    /// its torrent stays as it is.</summary>
    public Task SetTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, string? versionId = null) =>
        database.WriteAsync(connection => UpdateVersion(connection, "tags = $x", [("$x", Json.Write(tags))], bucket, key, versionId));

    /// <summary>Sets columns (<paramref name="assignment"/>, its parameters <paramref name="values"/>) of the current
    /// object or of one version; NoSuchKey (NoSuchVersion when named) when there is no such object. A delete marker has
    /// no ACL, tags or lock to set.</summary>
    private static bool UpdateVersion(SqliteConnection connection, string assignment, (string Name, object? Value)[] values,
        string bucket, string key, string? versionId)
    {
        var keyBytes = KeyBytes.Of(key);
        var id = versionId == "null" ? null : versionId;
        using (var current = Command(connection,
            $"UPDATE objects SET {assignment} WHERE bucket = $b AND key = $k" + (versionId is null ? "" : " AND version_id IS $v"),
            [.. values, ("$b", bucket), ("$k", keyBytes), ("$v", id)]))
        {
            if (current.ExecuteNonQuery() == 1)
            {
                return true;
            }
        }

        if (versionId is null)
        {
            throw new StorageException(StorageError.NoSuchKey, key);
        }

        using var noncurrent = Command(connection,
            $"UPDATE object_versions SET {assignment} WHERE bucket = $b AND key = $k AND version_id IS $v AND delete_marker = 0",
            [.. values, ("$b", bucket), ("$k", keyBytes), ("$v", id)]);
        return noncurrent.ExecuteNonQuery() == 1 ? true : throw new StorageException(StorageError.NoSuchVersion, versionId);
    }

    /// <summary>Stores facts computed after the write (objects from before facts existed); only if the blob is still current.</summary>
    public async Task<bool> SetContentFactsAsync(string bucket, string key, string blobId, ContentFacts facts)
    {
        var stored = await database.WriteAsync(connection =>
        {
            var keyBytes = KeyBytes.Of(key);
            using var command = Command(connection, "UPDATE objects SET facts = $f WHERE bucket = $b AND key = $k AND blob = $blob",
                ("$f", facts.Bytes), ("$b", bucket), ("$k", keyBytes), ("$blob", blobId));
            if (command.ExecuteNonQuery() != 1)
            {
                return false;
            }

            ReplaceIndexKeys(connection, bucket, keyBytes, facts.IndexKeys);
            return true;
        });
        if (stored)
        {
            changes.Publish(bucket, key);
        }

        return stored;
    }

    /// <summary>
    /// One page of keys after <paramref name="marker"/> (exclusive) under <paramref name="prefix"/>, rolling keys that
    /// contain <paramref name="delimiter"/> after the prefix into common prefixes, as S3's ListObjects does.
    /// </summary>
    public ListPage List(string bucket, string prefix, string? delimiter, string? marker, int maxKeys)
    {
        var objects = new List<ObjectRecord>();
        var prefixes = new List<string>();
        if (maxKeys <= 0)
        {
            return new ListPage(objects, prefixes, false, null);
        }

        var prefixBytes = KeyBytes.Of(prefix);
        var end = KeyBytes.PrefixEnd(prefixBytes);
        var after = string.IsNullOrEmpty(marker) ? null : KeyBytes.Of(marker);
        var inclusive = false;
        var rollUp = !string.IsNullOrEmpty(delimiter);
        if (after is not null && rollUp && marker!.StartsWith(prefix, StringComparison.Ordinal))
        {
            // A marker inside a common prefix (NextMarker is one) continues after the whole prefix.
            var cut = marker.IndexOf(delimiter!, prefix.Length, StringComparison.Ordinal);
            if (cut >= 0)
            {
                after = KeyBytes.PrefixEnd(KeyBytes.Of(marker[..(cut + delimiter!.Length)]));
                inclusive = true;
            }
        }

        using var connection = database.Open();
        string? last = null;
        while (true)
        {
            var batch = ReadBatch(connection, bucket, prefixBytes, end, after, inclusive, BatchSize);
            var rolled = false;
            foreach (var record in batch)
            {
                if (objects.Count + prefixes.Count == maxKeys)
                {
                    return new ListPage(objects, prefixes, true, last);
                }

                var cut = rollUp ? record.Key.IndexOf(delimiter!, prefix.Length, StringComparison.Ordinal) : -1;
                if (cut >= 0)
                {
                    last = record.Key[..(cut + delimiter!.Length)];
                    prefixes.Add(last);
                    after = KeyBytes.PrefixEnd(KeyBytes.Of(last));
                    inclusive = true;
                    rolled = true;
                    break;
                }

                objects.Add(record);
                last = record.Key;
                after = KeyBytes.Of(record.Key);
                inclusive = false;
            }

            if ((!rolled && batch.Count < BatchSize) || after is null)
            {
                return new ListPage(objects, prefixes, false, null);
            }
        }
    }

    private static List<ObjectRecord> ReadBatch(SqliteConnection connection, string bucket, byte[] prefix, byte[]? end, byte[]? after, bool inclusive, int limit)
    {
        var sql = $"SELECT {Columns} FROM objects WHERE bucket = $b AND key >= $p"
            + (end is null ? "" : " AND key < $e")
            + (after is null ? "" : inclusive ? " AND key >= $a" : " AND key > $a")
            + " ORDER BY key LIMIT $l";
        using var command = Command(connection, sql, ("$b", bucket), ("$p", prefix), ("$l", limit));
        if (end is not null)
        {
            command.Parameters.AddWithValue("$e", end);
        }

        if (after is not null)
        {
            command.Parameters.AddWithValue("$a", after);
        }

        using var reader = command.ExecuteReader();
        var list = new List<ObjectRecord>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Reads the <see cref="VersionHistory.SharedColumns"/> of a row of <c>objects</c> or <c>object_versions</c>.</summary>
    internal static ObjectRecord Read(SqliteDataReader reader) => new()
    {
        Bucket = reader.GetString(0),
        Key = KeyBytes.ToKey((byte[])reader.GetValue(1)),
        VersionId = reader.IsDBNull(2) ? null : reader.GetString(2),
        BlobId = reader.IsDBNull(3) ? "" : reader.GetString(3),
        Size = reader.GetInt64(4),
        ETag = reader.GetString(5),
        LastModified = FromMs(reader.GetInt64(6)),
        Attributes = new ObjectAttributes
        {
            Headers = Json.Read(reader.GetString(7)),
            UserMetadata = Json.Read(reader.GetString(8)),
            Acl = (CannedAcl)reader.GetInt32(10),
            Tags = Json.Read(reader.GetString(12)),
            Lock = Json.ReadLock(reader.GetString(14)),
            Grants = Json.ReadGrants(reader.GetString(15)),
        },
        Checksums = Json.Read(reader.GetString(9)),
        ContentFacts = reader.IsDBNull(11) ? null : (byte[])reader.GetValue(11),
        Parts = Json.ReadParts(reader.GetString(13)),
    };

    public HashSet<string> AllBlobIds()
    {
        using var connection = database.Open();
        using var command = Command(connection, "SELECT blob FROM objects UNION ALL SELECT blob FROM parts UNION ALL SELECT blob FROM object_versions WHERE blob IS NOT NULL");
        using var reader = command.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }
}
