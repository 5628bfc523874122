using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

public sealed class ObjectRepository(SqliteDatabase database, ObjectChanges changes)
{
    private const int BatchSize = 256;
    private const string Columns = "bucket, key, blob, size, etag, modified_ms, headers, user_meta, checksums, acl, facts, tags, parts";

    public ObjectRecord? Get(string bucket, string key)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"SELECT {Columns} FROM objects WHERE bucket = $b AND key = $k",
            ("$b", bucket), ("$k", KeyBytes.Of(key)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Makes a published blob the current version of its key, atomically. Returns the replaced blob, if any.</summary>
    public async Task<string?> CommitAsync(ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        var old = await database.WriteAsync(connection => CommitInTransaction(connection, write, blobId, size, now));
        changes.Publish(write.Bucket, write.Key);
        return old;
    }

    internal static string? CommitInTransaction(SqliteConnection connection, ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        using (var exists = Command(connection, "SELECT 1 FROM buckets WHERE name = $b", ("$b", write.Bucket)))
        {
            if (exists.ExecuteScalar() is null)
            {
                throw new StorageException(StorageError.NoSuchBucket, write.Bucket);
            }
        }

        var key = KeyBytes.Of(write.Key);
        string? old = null, oldETag = null;
        using (var select = Command(connection, "SELECT blob, etag FROM objects WHERE bucket = $b AND key = $k", ("$b", write.Bucket), ("$k", key)))
        using (var reader = select.ExecuteReader())
        {
            if (reader.Read())
            {
                (old, oldETag) = (reader.GetString(0), reader.GetString(1));
            }
        }

        if (write.Precondition is { } condition)
        {
            if (condition.IfNoneMatchAny && old is not null)
            {
                throw new StorageException(StorageError.PreconditionFailed, "If-None-Match");
            }

            if (condition.IfMatch is { } expected && (old is null ? throw new StorageException(StorageError.NoSuchKey, write.Key) : oldETag != expected))
            {
                throw new StorageException(StorageError.PreconditionFailed, "If-Match");
            }
        }

        using var upsert = Command(connection, $"""
            INSERT OR REPLACE INTO objects({Columns}) VALUES ($b, $k, $blob, $size, $etag, $m, $h, $u, $c, $acl, $f, $t, $p)
            """,
            ("$b", write.Bucket), ("$k", key), ("$blob", blobId), ("$size", size), ("$etag", write.ETag),
            ("$m", ToMs(now)), ("$h", Json.Write(write.Attributes.Headers)), ("$u", Json.Write(write.Attributes.UserMetadata)),
            ("$c", Json.Write(write.Checksums)), ("$acl", (int)write.Attributes.Acl), ("$f", write.Content?.Bytes),
            ("$t", Json.Write(write.Attributes.Tags)), ("$p", Json.WriteParts(write.Parts)));
        upsert.ExecuteNonQuery();
        ReplaceIndexKeys(connection, write.Bucket, key, write.Content?.IndexKeys ?? []);
        return old;
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

    /// <summary>The current objects committed with <paramref name="indexKey"/> among their content index keys.</summary>
    public IReadOnlyList<ObjectRecord> FindByIndexKey(byte[] indexKey)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "o." + c))} FROM content_index i
            JOIN objects o ON o.bucket = i.bucket AND o.key = i.key WHERE i.index_key = $i LIMIT 16
            """, ("$i", indexKey));
        using var reader = command.ExecuteReader();
        var list = new List<ObjectRecord>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Removes the key; returns its blob, or null when there was none.</summary>
    public async Task<string?> DeleteAsync(string bucket, string key)
    {
        var blob = await database.WriteAsync(connection =>
        {
            var keyBytes = KeyBytes.Of(key);
            using var command = Command(connection, "DELETE FROM objects WHERE bucket = $b AND key = $k RETURNING blob",
                ("$b", bucket), ("$k", keyBytes));
            var blob = command.ExecuteScalar() as string;
            ReplaceIndexKeys(connection, bucket, keyBytes, []);
            return blob;
        });
        if (blob is not null)
        {
            changes.Publish(bucket, key);
        }

        return blob;
    }

    public async Task SetAclAsync(string bucket, string key, CannedAcl acl)
    {
        await database.WriteAsync(connection =>
        {
            using var command = Command(connection, "UPDATE objects SET acl = $a WHERE bucket = $b AND key = $k",
                ("$a", (int)acl), ("$b", bucket), ("$k", KeyBytes.Of(key)));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new StorageException(StorageError.NoSuchKey, key);
            }

            return true;
        });
        changes.Publish(bucket, key);
    }

    /// <summary>Replaces the object's tags (empty: none). Tags are not the object's bytes: its torrent stays as it is.</summary>
    public Task SetTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags) => database.WriteAsync(connection =>
    {
        using var command = Command(connection, "UPDATE objects SET tags = $t WHERE bucket = $b AND key = $k",
            ("$t", Json.Write(tags)), ("$b", bucket), ("$k", KeyBytes.Of(key)));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new StorageException(StorageError.NoSuchKey, key);
        }

        return true;
    });

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

    internal static ObjectRecord Read(SqliteDataReader reader) => new()
    {
        Bucket = reader.GetString(0),
        Key = KeyBytes.ToKey((byte[])reader.GetValue(1)),
        BlobId = reader.GetString(2),
        Size = reader.GetInt64(3),
        ETag = reader.GetString(4),
        LastModified = FromMs(reader.GetInt64(5)),
        Attributes = new ObjectAttributes
        {
            Headers = Json.Read(reader.GetString(6)),
            UserMetadata = Json.Read(reader.GetString(7)),
            Acl = (CannedAcl)reader.GetInt32(9),
            Tags = Json.Read(reader.GetString(11)),
        },
        Checksums = Json.Read(reader.GetString(8)),
        ContentFacts = reader.IsDBNull(10) ? null : (byte[])reader.GetValue(10),
        Parts = Json.ReadParts(reader.GetString(12)),
    };

    public HashSet<string> AllBlobIds()
    {
        using var connection = database.Open();
        using var command = Command(connection, "SELECT blob FROM objects UNION ALL SELECT blob FROM parts");
        using var reader = command.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }
}
