using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;
using static Peerbucket.Storage.Metadata.SqliteDatabase;

namespace Peerbucket.Storage.Metadata;

/// <summary>
/// Users and their access key pairs (secrets sealed by <see cref="SecretBox"/>). Read on every signed request, so a
/// key deleted here — by the CLI, while the server runs — stops working at once.
/// </summary>
public sealed class UserRepository(SqliteDatabase database, SecretBox secrets)
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SelectUser = "SELECT id, name, display_name, created_ms FROM users";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public Task<UserRecord> CreateAsync(string name, string? displayName, string? canonicalId, DateTimeOffset now) => database.WriteAsync(connection =>
    {
        var user = new UserRecord(canonicalId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), name, displayName ?? name, now);
        using var insert = Command(connection,
            "INSERT INTO users(id, name, display_name, created_ms) VALUES ($i, $n, $d, $c) ON CONFLICT DO NOTHING",
            ("$i", user.CanonicalId), ("$n", name), ("$d", user.DisplayName), ("$c", ToMs(now)));
        return insert.ExecuteNonQuery() == 1 ? user : throw new StorageException(StorageError.UserExists, name);
    });

    public IReadOnlyList<UserRecord> List()
    {
        using var connection = database.Open();
        using var command = Command(connection, $"{SelectUser} ORDER BY name");
        using var reader = command.ExecuteReader();
        var list = new List<UserRecord>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public UserRecord? Get(string name)
    {
        using var connection = database.Open();
        return Get(connection, name);
    }

    public UserRecord? FindById(string canonicalId)
    {
        using var connection = database.Open();
        return One(connection, "id", canonicalId);
    }

    /// <summary>The access keys of a user, oldest first.</summary>
    public IReadOnlyList<string> KeysOf(string name)
    {
        using var connection = database.Open();
        using var command = Command(connection,
            "SELECT k.access_key FROM access_keys k JOIN users u ON u.id = k.user_id WHERE u.name = $n ORDER BY k.created_ms, k.access_key", ("$n", name));
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>Deletes a user and its keys; refused (UserOwnsBuckets) while it owns a bucket.</summary>
    public Task DeleteAsync(string name) => database.WriteAsync(connection =>
    {
        var user = Get(connection, name) ?? throw new StorageException(StorageError.NoSuchUser, name);
        using (var owns = Command(connection, "SELECT name FROM buckets WHERE owner = $i LIMIT 1", ("$i", user.CanonicalId)))
        {
            if (owns.ExecuteScalar() is string bucket)
            {
                throw new StorageException(StorageError.UserOwnsBuckets, $"{name} owns bucket {bucket}");
            }
        }

        using var delete = Command(connection, "DELETE FROM access_keys WHERE user_id = $i; DELETE FROM users WHERE id = $i;", ("$i", user.CanonicalId));
        return delete.ExecuteNonQuery();
    });

    /// <summary>Adds a key pair to a user (a new random one unless given); returns it.</summary>
    public Task<(string AccessKey, string SecretKey)> CreateKeyAsync(string name, string? accessKey, string? secretKey, DateTimeOffset now) =>
        database.WriteAsync(connection =>
        {
            var user = Get(connection, name) ?? throw new StorageException(StorageError.NoSuchUser, name);
            var key = accessKey ?? "PB" + RandomNumberGenerator.GetString(KeyAlphabet, 18);
            var secret = secretKey ?? RandomNumberGenerator.GetString(SecretAlphabet, 40);
            using var insert = Command(connection,
                "INSERT INTO access_keys(access_key, user_id, secret, created_ms) VALUES ($k, $u, $s, $c) ON CONFLICT DO NOTHING",
                ("$k", key), ("$u", user.CanonicalId), ("$s", secrets.Seal(Encoding.UTF8.GetBytes(secret))), ("$c", ToMs(now)));
            return insert.ExecuteNonQuery() == 1 ? (key, secret) : throw new StorageException(StorageError.AccessKeyExists, key);
        });

    /// <summary>Deletes a key pair; false when there was none.</summary>
    public Task<bool> DeleteKeyAsync(string accessKey) => database.WriteAsync(connection =>
    {
        using var delete = Command(connection, "DELETE FROM access_keys WHERE access_key = $k", ("$k", accessKey));
        return delete.ExecuteNonQuery() == 1;
    });

    /// <summary>The user an access key belongs to and its secret; null when no such key exists.</summary>
    public (UserRecord User, string Secret)? FindKey(string accessKey)
    {
        using var connection = database.Open();
        using var command = Command(connection, """
            SELECT u.id, u.name, u.display_name, u.created_ms, k.secret FROM access_keys k JOIN users u ON u.id = k.user_id
            WHERE k.access_key = $k
            """, ("$k", accessKey));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (Read(reader), Encoding.UTF8.GetString(secrets.Open((byte[])reader.GetValue(4)))) : null;
    }

    private static UserRecord? Get(SqliteConnection connection, string name) => One(connection, "name", name);

    /// <summary>The user whose <paramref name="column"/> (name or id, both unique) is <paramref name="value"/>.</summary>
    private static UserRecord? One(SqliteConnection connection, string column, string value)
    {
        using var command = Command(connection, $"{SelectUser} WHERE {column} = $v", ("$v", value));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static UserRecord Read(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMs(reader.GetInt64(3)));
}
