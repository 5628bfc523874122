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
            policy TEXT);
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
            PRIMARY KEY(bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS uploads(
            upload_id TEXT PRIMARY KEY,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            initiated_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            user_meta TEXT NOT NULL,
            acl INTEGER NOT NULL,
            checksum_algorithm TEXT);
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
        CREATE TABLE IF NOT EXISTS object_tags(
            tag BLOB NOT NULL,
            bucket TEXT NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY(tag, bucket, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS object_tags_by_key ON object_tags(bucket, key);
        """;
}
