using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Changes;
using Peerbucket.Storage.Metadata;

namespace Peerbucket.Storage;

/// <summary>The embedded store: SQLite metadata and file blobs under one data directory.</summary>
public sealed class ObjectStore
{
    public ObjectStore(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        var database = new SqliteDatabase(DataDirectory);
        Buckets = new BucketRepository(database, Changes);
        Objects = new ObjectRepository(database, Changes);
        Versions = new VersionRepository(database);
        Multipart = new MultipartRepository(database, Changes);
        Blobs = new BlobStore(DataDirectory);
        Ledger = new LedgerRepository(database);
        Users = new UserRepository(database, new Access.SecretBox(DataDirectory));
    }

    public string DataDirectory { get; }

    /// <summary>Notices of committed changes to objects and buckets (subscribed to by the tracker and seeder).</summary>
    public ObjectChanges Changes { get; } = new();

    public BucketRepository Buckets { get; }

    public ObjectRepository Objects { get; }

    /// <summary>Every version of a key: noncurrent ones and delete markers too.</summary>
    public VersionRepository Versions { get; }

    public MultipartRepository Multipart { get; }

    public BlobStore Blobs { get; }

    /// <summary>Users and their key pairs (the administrator's is the server's own, not stored here).</summary>
    public UserRepository Users { get; }

    /// <summary>The publisher's ledger (egress and swarm figures) kept across restarts.</summary>
    public LedgerRepository Ledger { get; }

    /// <summary>Deletes blobs that metadata no longer references. Open readers keep their handle working.</summary>
    public void Release(IEnumerable<string?> blobIds)
    {
        foreach (var id in blobIds)
        {
            if (id is not null)
            {
                Blobs.Delete(id);
            }
        }
    }

    /// <summary>
    /// Start-up recovery after a crash: drops unfinished temporary blobs and published blobs whose metadata never
    /// committed. Metadata is never left pointing at a missing blob, because a blob is published before its commit.
    /// </summary>
    public (int Temporary, int Orphaned) Recover()
    {
        var temporary = Blobs.CleanTemporaryFiles();
        var referenced = Objects.AllBlobIds();
        var orphaned = 0;
        foreach (var id in Blobs.EnumerateBlobIds().ToList())
        {
            if (!referenced.Contains(id))
            {
                Blobs.Delete(id);
                orphaned++;
            }
        }

        return (temporary, orphaned);
    }
}
