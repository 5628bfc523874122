using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

public sealed class BucketRepository(SqliteDatabase database, ObjectChanges changes)
{
    /// <summary>Creates the bucket for <paramref name="owner"/> (a user's canonical id; null: the administrator); returns
    /// false when it already exists.</summary>
    public Task<bool> CreateAsync(string name, string region, CannedAcl acl, DateTimeOffset now, string? owner = null,
        IReadOnlyList<Grant>? grants = null) => database.WriteAsync(connection =>
    {
        using var command = Command(connection,
            "INSERT INTO buckets(name, created_ms, region, acl, owner, grants) VALUES ($n, $c, $r, $a, $o, $g) ON CONFLICT(name) DO NOTHING",
            ("$n", name), ("$c", ToMs(now)), ("$r", region), ("$a", (int)acl), ("$o", owner), ("$g", Json.WriteGrants(grants ?? [])));
        return command.ExecuteNonQuery() == 1;
    });

    public BucketRecord? Get(string name)
    {
        using var connection = database.Open();
        using var command = Command(connection, $"{Select} WHERE b.name = $n", ("$n", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public IReadOnlyList<BucketRecord> List()
    {
        using var connection = database.Open();
        using var command = Command(connection, $"{Select} ORDER BY b.name");
        using var reader = command.ExecuteReader();
        var list = new List<BucketRecord>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Deletes an empty bucket and its unfinished uploads; returns the blobs of those uploads' parts.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string name)
    {
        var blobs = await database.WriteAsync(connection => DeleteInTransaction(connection, name));
        changes.Publish(name, null);
        return blobs;
    }

    private static List<string> DeleteInTransaction(SqliteConnection connection, string name)
    {
        using (var exists = Command(connection, "SELECT 1 FROM buckets WHERE name = $n", ("$n", name)))
        {
            if (exists.ExecuteScalar() is null)
            {
                throw new StorageException(StorageError.NoSuchBucket, name);
            }
        }

        using (var any = Command(connection, "SELECT 1 FROM objects WHERE bucket = $n LIMIT 1", ("$n", name)))
        {
            if (any.ExecuteScalar() is not null || VersionRepository.Any(connection, name))
            {
                throw new StorageException(StorageError.BucketNotEmpty, name);
            }
        }

        var blobs = new List<string>();
        using (var parts = Command(connection,
            "SELECT p.blob FROM parts p JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket = $n", ("$n", name)))
        using (var reader = parts.ExecuteReader())
        {
            while (reader.Read())
            {
                blobs.Add(reader.GetString(0));
            }
        }

        using (var delete = Command(connection, """
            DELETE FROM parts WHERE upload_id IN (SELECT upload_id FROM uploads WHERE bucket = $n);
            DELETE FROM uploads WHERE bucket = $n;
            DELETE FROM bucket_configs WHERE bucket = $n;
            DELETE FROM buckets WHERE name = $n;
            """, ("$n", name)))
        {
            delete.ExecuteNonQuery();
        }

        return blobs;
    }

    /// <summary>Sets the bucket's ACL: its canned part and its grants, in one transaction.</summary>
    public async Task SetAclAsync(string name, CannedAcl acl, IReadOnlyList<Grant>? grants = null)
    {
        await database.WriteAsync(connection =>
        {
            using var command = Command(connection, "UPDATE buckets SET acl = $a, grants = $g WHERE name = $n",
                ("$a", (int)acl), ("$g", Json.WriteGrants(grants ?? [])), ("$n", name));
            return command.ExecuteNonQuery() == 1 ? true : throw new StorageException(StorageError.NoSuchBucket, name);
        });
        changes.Publish(name, null);
    }

    /// <summary>Enables or suspends versioning (a bucket never returns to unversioned).</summary>
    public Task SetVersioningAsync(string name, VersioningState state) =>
        state == VersioningState.Unversioned
            ? throw new ArgumentOutOfRangeException(nameof(state))
            : UpdateAsync(name, "UPDATE buckets SET versioning = $v WHERE name = $n", (int)state);

    public Task SetPolicyAsync(string name, string? policy) => UpdateAsync(name, "UPDATE buckets SET policy = $v WHERE name = $n", policy);

    /// <summary>The bucket's subresource document <paramref name="subresource"/> (tagging, cors, ...), or null when unset.</summary>
    public string? GetConfig(string name, string subresource)
    {
        using var connection = database.Open();
        using var command = Command(connection, "SELECT document FROM bucket_configs WHERE bucket = $n AND name = $s", ("$n", name), ("$s", subresource));
        return command.ExecuteScalar() as string;
    }

    /// <summary>Sets (or with null removes) the bucket's subresource document <paramref name="subresource"/>.</summary>
    public async Task SetConfigAsync(string name, string subresource, string? document)
    {
        await database.WriteAsync(connection =>
        {
            using (var exists = Command(connection, "SELECT 1 FROM buckets WHERE name = $n", ("$n", name)))
            {
                if (exists.ExecuteScalar() is null)
                {
                    throw new StorageException(StorageError.NoSuchBucket, name);
                }
            }

            using var command = document is null
                ? Command(connection, "DELETE FROM bucket_configs WHERE bucket = $n AND name = $s", ("$n", name), ("$s", subresource))
                : Command(connection, "INSERT OR REPLACE INTO bucket_configs(bucket, name, document) VALUES ($n, $s, $d)",
                    ("$n", name), ("$s", subresource), ("$d", document));
            command.ExecuteNonQuery();
            return true;
        });
        changes.Publish(name, null);
    }

    private async Task UpdateAsync(string name, string sql, object? value)
    {
        await database.WriteAsync(connection =>
        {
            using var command = Command(connection, sql, ("$n", name), ("$v", value));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new StorageException(StorageError.NoSuchBucket, name);
            }

            return true;
        });
        changes.Publish(name, null);
    }

    private const string Select = $"""
        SELECT b.name, b.created_ms, b.region, b.acl, b.policy, c.document, b.versioning, o.document, b.owner, b.grants FROM buckets b
        LEFT JOIN bucket_configs c ON c.bucket = b.name AND c.name = '{PublicAccessBlock.Subresource}'
        LEFT JOIN bucket_configs o ON o.bucket = b.name AND o.name = '{ObjectOwnerships.Subresource}'
        """;

    private static BucketRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        FromMs(reader.GetInt64(1)),
        reader.GetString(2),
        (CannedAcl)reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetString(4))
    {
        PublicAccessBlock = PublicAccessBlock.Decode(reader.IsDBNull(5) ? null : reader.GetString(5)),
        Versioning = (VersioningState)reader.GetInt32(6),
        Ownership = ObjectOwnerships.Decode(reader.IsDBNull(7) ? null : reader.GetString(7)),
        Owner = reader.IsDBNull(8) ? null : reader.GetString(8),
        Grants = Json.ReadGrants(reader.GetString(9)),
    };
}
