using Microsoft.Data.Sqlite;

namespace Peerbucket.Storage.Metadata;

/// <summary>The SQLite schema. Keys are stored as UTF-8 BLOBs so ordering is S3's: raw bytes.</summary>
internal static class Schema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS buckets(
            name TEXT PRIMARY KEY,
            created_ms INTEGER NOT NULL,
            region TEXT NOT NULL,
            acl INTEGER NOT NULL,
            policy TEXT,
            versioning INTEGER NOT NULL DEFAULT 0,
            owner TEXT,
            grants TEXT NOT NULL DEFAULT '');
        CREATE TABLE IF NOT EXISTS users(
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            created_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS access_keys(
            access_key TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            secret BLOB NOT NULL,
            created_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS access_keys_by_user ON access_keys(user_id);
        CREATE TABLE IF NOT EXISTS objects(
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            user_meta TEXT NOT NULL,
            checksums TEXT NOT NULL,
            acl INTEGER NOT NULL,
            facts BLOB,
            tags TEXT NOT NULL DEFAULT '',
            parts TEXT NOT NULL DEFAULT '',
            version_id TEXT,
            lock TEXT NOT NULL DEFAULT '',
            grants TEXT NOT NULL DEFAULT '',
            PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS object_versions(
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            seq INTEGER NOT NULL,
            version_id TEXT,
            delete_marker INTEGER NOT NULL,
            blob TEXT,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            user_meta TEXT NOT NULL,
            checksums TEXT NOT NULL,
            acl INTEGER NOT NULL,
            facts BLOB,
            tags TEXT NOT NULL,
            parts TEXT NOT NULL,
            lock TEXT NOT NULL DEFAULT '',
            grants TEXT NOT NULL DEFAULT '',
            PRIMARY KEY(bucket, key, seq)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS object_versions_by_id ON object_versions(bucket, key, version_id);
        CREATE TABLE IF NOT EXISTS version_index(
            index_key BLOB NOT NULL,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY(index_key, bucket, key, seq)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS version_index_by_version ON version_index(bucket, key, seq);
        CREATE TABLE IF NOT EXISTS uploads(
            upload_id TEXT PRIMARY KEY,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            initiated_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            user_meta TEXT NOT NULL,
            acl INTEGER NOT NULL,
            checksum_algorithm TEXT,
            tags TEXT NOT NULL DEFAULT '',
            lock TEXT NOT NULL DEFAULT '',
            grants TEXT NOT NULL DEFAULT '');
        CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads(bucket, key, initiated_ms);
        CREATE TABLE IF NOT EXISTS parts(
            upload_id TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            checksums TEXT NOT NULL,
            PRIMARY KEY(upload_id, part_number)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS content_index(
            index_key BLOB NOT NULL,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY(index_key, bucket, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS content_index_by_key ON content_index(bucket, key);
        CREATE TABLE IF NOT EXISTS ledger(
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            seeder INTEGER NOT NULL DEFAULT 0,
            web_seed INTEGER NOT NULL DEFAULT 0,
            range_get INTEGER NOT NULL DEFAULT 0,
            plain_get INTEGER NOT NULL DEFAULT 0,
            peer_downloaded INTEGER NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0,
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS completed_uploads(
            upload_id TEXT PRIMARY KEY,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            etag TEXT NOT NULL,
            completed_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bucket_configs(
            bucket TEXT NOT NULL,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY(bucket, name)) WITHOUT ROWID;
        """;

    /// <summary>Schema version 1 named the content index <c>object_tags</c> (its key column <c>tag</c>); the name
    /// is S3 Object Tagging's.</summary>
    private const string RenameObjectTags = """
        ALTER TABLE object_tags RENAME TO content_index;
        ALTER TABLE content_index RENAME COLUMN tag TO index_key;
        DROP INDEX IF EXISTS object_tags_by_key;
        """;

    // Version 3 added the ledger (per-object egress and swarm figures; the row of bucket '' holds the totals); version 4
    // completed_uploads (a CompleteMultipartUpload repeated after it succeeded answers as the first did), bucket_configs
    // (a bucket's subresource documents: tagging, CORS, ...), the tags columns of objects and uploads, and objects.parts
    // (a multipart object's part sizes and checksums); version 5 versioning: buckets.versioning, objects.version_id (the
    // current version's id, NULL for the null version), object_versions (noncurrent versions and delete markers) and
    // version_index (the content index of noncurrent versions: the tracker and seeder serve them too), and the lock
    // columns of objects, object_versions and uploads (S3 Object Lock: retention and legal hold); version 6 users,
    // access_keys (secrets sealed), buckets.owner (a user's canonical id; NULL: the administrator's) and the grants
    // columns (ACL grants beyond the canned ACL) of buckets, objects, object_versions and uploads.

    /// <summary>The version <see cref="Migrate"/> leaves in <c>PRAGMA user_version</c>.</summary>
    public const int Version = 6;

    /// <summary>Brings a database of any earlier version (0: created before versions were kept) to
    /// <see cref="Version"/>, in one transaction.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version < 2 && Scalar(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'object_tags'") is not null)
        {
            SqliteDatabase.Execute(connection, RenameObjectTags);
        }

        SqliteDatabase.Execute(connection, Create);
        AddColumn(connection, "objects", "tags", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "uploads", "tags", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "objects", "parts", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "objects", "version_id", "TEXT");
        AddColumn(connection, "objects", "lock", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "uploads", "lock", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "buckets", "versioning", "INTEGER NOT NULL DEFAULT 0");
        AddColumn(connection, "buckets", "owner", "TEXT");
        AddColumn(connection, "buckets", "grants", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "objects", "grants", "TEXT NOT NULL DEFAULT ''");
        AddColumn(connection, "uploads", "grants", "TEXT NOT NULL DEFAULT ''");
        SqliteDatabase.Execute(connection, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }

    /// <summary>Adds a column a table made by an earlier version lacks (CREATE TABLE IF NOT EXISTS leaves such a table as it was).</summary>
    private static void AddColumn(SqliteConnection connection, string table, string column, string definition)
    {
        if (Scalar(connection, $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = '{column}'") is null)
        {
            SqliteDatabase.Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
