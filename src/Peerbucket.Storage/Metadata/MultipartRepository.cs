using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

public sealed class MultipartRepository(SqliteDatabase database, ObjectChanges changes)
{
    public Task CreateAsync(MultipartUpload upload) => database.WriteAsync(connection =>
    {
        RequireBucket(connection, upload.Bucket);
        using var command = Command(connection, """
            INSERT INTO uploads(upload_id, bucket, key, initiated_ms, headers, user_meta, acl, checksum_algorithm, tags, lock, grants)
            VALUES ($id, $b, $k, $i, $h, $u, $a, $c, $t, $l, $g)
            """,
            ("$id", upload.UploadId), ("$b", upload.Bucket), ("$k", KeyBytes.Of(upload.Key)), ("$i", ToMs(upload.Initiated)),
            ("$h", Json.Write(upload.Attributes.Headers)), ("$u", Json.Write(upload.Attributes.UserMetadata)),
            ("$a", (int)upload.Attributes.Acl), ("$c", upload.ChecksumAlgorithm), ("$t", Json.Write(upload.Attributes.Tags)),
            ("$l", Json.WriteLock(upload.Attributes.Lock)), ("$g", Json.WriteGrants(upload.Attributes.Grants)));
        return command.ExecuteNonQuery();
    });

    public MultipartUpload? Get(string bucket, string key, string uploadId)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"SELECT {UploadColumns} FROM uploads WHERE upload_id = $id AND bucket = $b AND key = $k",
            ("$id", uploadId), ("$b", bucket), ("$k", KeyBytes.Of(key)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUpload(reader) : null;
    }

    /// <summary>Records a published part blob; returns the blob of the part it replaces, if any.</summary>
    public Task<string?> PutPartAsync(string uploadId, PartRecord part) => database.WriteAsync(connection =>
    {
        using (var exists = Command(connection, "SELECT 1 FROM uploads WHERE upload_id = $id", ("$id", uploadId)))
        {
            if (exists.ExecuteScalar() is null)
            {
                throw new StorageException(StorageError.NoSuchUpload, uploadId);
            }
        }

        string? old;
        using (var select = Command(connection, "SELECT blob FROM parts WHERE upload_id = $id AND part_number = $n",
            ("$id", uploadId), ("$n", part.PartNumber)))
        {
            old = select.ExecuteScalar() as string;
        }

        using var upsert = Command(connection, """
            INSERT OR REPLACE INTO parts(upload_id, part_number, blob, size, etag, modified_ms, checksums)
            VALUES ($id, $n, $blob, $s, $e, $m, $c)
            """,
            ("$id", uploadId), ("$n", part.PartNumber), ("$blob", part.BlobId), ("$s", part.Size), ("$e", part.ETag),
            ("$m", ToMs(part.LastModified)), ("$c", Json.Write(part.Checksums)));
        upsert.ExecuteNonQuery();
        return old;
    });

    public IReadOnlyList<PartRecord> ListParts(string uploadId, int afterPartNumber = 0, int limit = int.MaxValue)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT part_number, blob, size, etag, modified_ms, checksums FROM parts
            WHERE upload_id = $id AND part_number > $after ORDER BY part_number LIMIT $l
            """, ("$id", uploadId), ("$after", afterPartNumber), ("$l", limit));
        using var reader = command.ExecuteReader();
        var list = new List<PartRecord>();
        while (reader.Read())
        {
            list.Add(new PartRecord(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                FromMs(reader.GetInt64(4)), Json.Read(reader.GetString(5))));
        }

        return list;
    }

    /// <summary>Uploads of a bucket, ordered by key then initiation time, after the given key / upload id marker.</summary>
    public IReadOnlyList<MultipartUpload> ListUploads(string bucket, string prefix, string? keyMarker, int limit)
    {
        using var connection = database.Open();
        var prefixBytes = KeyBytes.Of(prefix);
        var end = KeyBytes.PrefixEnd(prefixBytes);
        var sql = $"SELECT {UploadColumns} FROM uploads WHERE bucket = $b AND key >= $p"
            + (end is null ? "" : " AND key < $e")
            + (string.IsNullOrEmpty(keyMarker) ? "" : " AND key > $m")
            + " ORDER BY key, initiated_ms, upload_id LIMIT $l";
        using var command = Command(connection, sql, ("$b", bucket), ("$p", prefixBytes), ("$l", limit));
        if (end is not null)
        {
            command.Parameters.AddWithValue("$e", end);
        }

        if (!string.IsNullOrEmpty(keyMarker))
        {
            command.Parameters.AddWithValue("$m", KeyBytes.Of(keyMarker));
        }

        using var reader = command.ExecuteReader();
        var list = new List<MultipartUpload>();
        while (reader.Read())
        {
            list.Add(ReadUpload(reader));
        }

        return list;
    }

    /// <summary>
    /// Ends an upload by committing its assembled blob as the object. Its outcome's released blobs are every part's
    /// and, unless the bucket keeps versions, the replaced object's.
    /// </summary>
    public async Task<WriteOutcome> CompleteAsync(string uploadId, ObjectWrite write, string blobId, long size, DateTimeOffset now)
    {
        var outcome = await database.WriteAsync(connection =>
        {
            var blobs = TakeParts(connection, uploadId);
            var committed = ObjectRepository.CommitInTransaction(connection, write, blobId, size, now);
            RememberCompleted(connection, uploadId, write, now);
            blobs.AddRange(committed.Released);
            return committed with { Released = blobs };
        });
        changes.Publish(write.Bucket, write.Key);
        return outcome;
    }

    /// <summary>How long a completed upload is remembered, so that completing it again answers as the first time did
    /// (S3 does; clients retry a Complete whose answer they lost).</summary>
    public static readonly TimeSpan CompletedKept = TimeSpan.FromDays(1);

    /// <summary>The ETag of the object that upload <paramref name="uploadId"/> of (<paramref name="bucket"/>,
    /// <paramref name="key"/>) completed into, while that object is still the key's current one; else null.</summary>
    public string? CompletedETag(string bucket, string key, string uploadId, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT c.etag FROM completed_uploads c JOIN objects o ON o.bucket = c.bucket AND o.key = c.key AND o.etag = c.etag
            WHERE c.upload_id = $id AND c.bucket = $b AND c.key = $k AND c.completed_ms >= $since
            """, ("$id", uploadId), ("$b", bucket), ("$k", KeyBytes.Of(key)), ("$since", ToMs(now - CompletedKept)));
        return command.ExecuteScalar() as string;
    }

    private static void RememberCompleted(SqliteConnection connection, string uploadId, ObjectWrite write, DateTimeOffset now)
    {
        using var command = Command(connection, """
            DELETE FROM completed_uploads WHERE completed_ms < $since;
            INSERT OR REPLACE INTO completed_uploads(upload_id, bucket, key, etag, completed_ms) VALUES ($id, $b, $k, $e, $now);
            """, ("$since", ToMs(now - CompletedKept)), ("$id", uploadId), ("$b", write.Bucket), ("$k", KeyBytes.Of(write.Key)),
            ("$e", write.ETag), ("$now", ToMs(now)));
        command.ExecuteNonQuery();
    }

    /// <summary>Drops the upload; returns its part blobs to delete.</summary>
    public async Task<IReadOnlyList<string>> AbortAsync(string uploadId) =>
        await database.WriteAsync(connection => TakeParts(connection, uploadId));

    private static List<string> TakeParts(SqliteConnection connection, string uploadId)
    {
        using (var upload = Command(connection, "DELETE FROM uploads WHERE upload_id = $id RETURNING 1", ("$id", uploadId)))
        {
            if (upload.ExecuteScalar() is null)
            {
                throw new StorageException(StorageError.NoSuchUpload, uploadId);
            }
        }

        var blobs = new List<string>();
        using var parts = Command(connection, "DELETE FROM parts WHERE upload_id = $id RETURNING blob", ("$id", uploadId));
        using var reader = parts.ExecuteReader();
        while (reader.Read())
        {
            blobs.Add(reader.GetString(0));
        }

        return blobs;
    }

    private static void RequireBucket(SqliteConnection connection, string bucket)
    {
        using var exists = Command(connection, "SELECT 1 FROM buckets WHERE name = $b", ("$b", bucket));
        if (exists.ExecuteScalar() is null)
        {
            throw new StorageException(StorageError.NoSuchBucket, bucket);
        }
    }

    private const string UploadColumns = "upload_id, bucket, key, initiated_ms, headers, user_meta, acl, checksum_algorithm, tags, lock, grants";

    private static MultipartUpload ReadUpload(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        KeyBytes.ToKey((byte[])reader.GetValue(2)),
        FromMs(reader.GetInt64(3)),
        new ObjectAttributes
        {
            Headers = Json.Read(reader.GetString(4)),
            UserMetadata = Json.Read(reader.GetString(5)),
            Acl = (CannedAcl)reader.GetInt32(6),
            Tags = Json.Read(reader.GetString(8)),
            Lock = Json.ReadLock(reader.GetString(9)),
            Grants = Json.ReadGrants(reader.GetString(10)),
        },
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
