using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

public sealed class ObjectRepository(SqliteDatabase database)
{
    private const int BatchSize = 256;
    private const string Columns = "bucket, key, blob, size, etag, modified_ms, headers, user_meta, checksums, acl, facts";

    public ObjectRecord? Get(string bucket, string key)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"SELECT {Columns} FROM objects WHERE bucket = $b AND key = $k",
            ("$b", bucket), ("$k", KeyBytes.Of(key)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Makes a published blob the current version of its key, atomically. Returns the replaced blob, if any.</summary>
    public string? Commit(ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        using var writeLock = database.WriteLock();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var old = CommitInTransaction(connection, write, blobId, size, now);
        transaction.Commit();
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
        string? old;
        using (var select = Command(connection, "SELECT blob FROM objects WHERE bucket = $b AND key = $k", ("$b", write.Bucket), ("$k", key)))
        {
            old = select.ExecuteScalar() as string;
        }

        using var upsert = Command(connection, $"""
            INSERT OR REPLACE INTO objects({Columns}) VALUES ($b, $k, $blob, $size, $etag, $m, $h, $u, $c, $acl, $f)
            """,
            ("$b", write.Bucket), ("$k", key), ("$blob", blobId), ("$size", size), ("$etag", write.ETag),
            ("$m", ToMs(now)), ("$h", Json.Write(write.Attributes.Headers)), ("$u", Json.Write(write.Attributes.UserMetadata)),
            ("$c", Json.Write(write.Checksums)), ("$acl", (int)write.Attributes.Acl), ("$f", write.ContentFacts));
        upsert.ExecuteNonQuery();
        ReplaceTags(connection, write.Bucket, key, write.Tags ?? []);
        return old;
    }

    private static void ReplaceTags(SqliteConnection connection, string bucket, byte[] key, IReadOnlyList<byte[]> tags)
    {
        using (var delete = Command(connection, "DELETE FROM object_tags WHERE bucket = $b AND key = $k", ("$b", bucket), ("$k", key)))
        {
            delete.ExecuteNonQuery();
        }

        foreach (var tag in tags)
        {
            using var insert = Command(connection, "INSERT OR IGNORE INTO object_tags(tag, bucket, key) VALUES ($t, $b, $k)",
                ("$t", tag), ("$b", bucket), ("$k", key));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The current objects committed with <paramref name="tag"/>.</summary>
    public IReadOnlyList<ObjectRecord> FindByTag(byte[] tag)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "o." + c))} FROM object_tags t
            JOIN objects o ON o.bucket = t.bucket AND o.key = t.key WHERE t.tag = $t LIMIT 16
            """, ("$t", tag));
        using var reader = command.ExecuteReader();
        var list = new List<ObjectRecord>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Removes the key; returns its blob, or null when there was none.</summary>
    public string? Delete(string bucket, string key)
    {
        using var writeLock = database.WriteLock();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var keyBytes = KeyBytes.Of(key);
        using var command = Command(connection, "DELETE FROM objects WHERE bucket = $b AND key = $k RETURNING blob",
            ("$b", bucket), ("$k", keyBytes));
        var blob = command.ExecuteScalar() as string;
        ReplaceTags(connection, bucket, keyBytes, []);
        transaction.Commit();
        return blob;
    }

    public void SetAcl(string bucket, string key, CannedAcl acl)
    {
        using var writeLock = database.WriteLock();
        using var connection = database.Open();
        using var command = Command(connection, "UPDATE objects SET acl = $a WHERE bucket = $b AND key = $k",
            ("$a", (int)acl), ("$b", bucket), ("$k", KeyBytes.Of(key)));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new StorageException(StorageError.NoSuchKey, key);
        }
    }

    /// <summary>Stores facts computed after the write (objects from before facts existed); only if the blob is still current.</summary>
    public bool SetContentFacts(string bucket, string key, string blobId, byte[] facts, IReadOnlyList<byte[]> tags)
    {
        using var writeLock = database.WriteLock();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var keyBytes = KeyBytes.Of(key);
        using var command = Command(connection, "UPDATE objects SET facts = $f WHERE bucket = $b AND key = $k AND blob = $blob",
            ("$f", facts), ("$b", bucket), ("$k", keyBytes), ("$blob", blobId));
        if (command.ExecuteNonQuery() != 1)
        {
            return false;
        }

        ReplaceTags(connection, bucket, keyBytes, tags);
        transaction.Commit();
        return true;
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
        },
        Checksums = Json.Read(reader.GetString(8)),
        ContentFacts = reader.IsDBNull(10) ? null : (byte[])reader.GetValue(10),
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
