using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>A real store in a temp directory, its served torrents, and a seeder on a loopback port.</summary>
public sealed class SeederHarness : IAsyncDisposable
{
    private SeederHarness(string directory, SeederOptions options, OriginPolicy policy, ISwarmRegistry? tracker)
    {
        Directory = directory;
        Store = new ObjectStore(directory);
        Catalog = new TorrentCatalog(Store, new TorrentSettings { PublicUrl = new Uri("http://127.0.0.1:1/"), PieceLength = 32 * 1024 });
        Served = new ServedTorrents(Store, Catalog);
        Stats = new SeederStats();
        Origins = new SwarmOrigins(new OriginOptions { Policy = policy }, tracker);
        Listener = new SeederListener(Served, Origins, Store.Blobs, options, Stats, new IPEndPoint(IPAddress.Loopback, 0), NullLogger<SeederListener>.Instance);
    }

    public string Directory { get; }

    public ObjectStore Store { get; }

    public TorrentCatalog Catalog { get; }

    public ServedTorrents Served { get; }

    public SeederStats Stats { get; }

    public SwarmOrigins Origins { get; }

    public SeederListener Listener { get; }

    public IPEndPoint EndPoint => Listener.LocalEndPoint!;

    /// <summary>Starts a seeder; the origin policy is fast unless asked (these tests check what a seed answers, and
    /// super-seeding changes the greeting as soon as two peers download).</summary>
    public static async Task<SeederHarness> StartAsync(SeederOptions? options = null, OriginPolicy policy = OriginPolicy.Fast, ISwarmRegistry? tracker = null)
    {
        var harness = new SeederHarness(Path.Combine(Path.GetTempPath(), "pb-seeder-" + Guid.NewGuid().ToString("N")), options ?? new SeederOptions(), policy, tracker);
        await harness.Store.Buckets.CreateAsync("b", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow);
        await harness.Listener.StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Commits a public-read object with its torrent facts and info-hash index keys (as the S3 write path does).</summary>
    public async Task<ObjectRecord> PutAsync(string key, byte[] data, CannedAcl acl = CannedAcl.PublicRead)
    {
        await using var writer = Store.Blobs.CreateWriter();
        await writer.WriteAsync(data);
        await Store.Blobs.PublishAsync(writer);
        using var hasher = new TorrentFactsBuilder(key, 32 * 1024);
        hasher.Append(data);
        var write = new ObjectWrite("b", key, "etag", new ObjectAttributes { Acl = acl }, new Dictionary<string, string>(), hasher.Finish());
        Store.Release((await Store.Objects.CommitAsync(write, writer.BlobId, data.Length, DateTimeOffset.UtcNow)).Released);
        return Store.Objects.Get("b", key)!;
    }

    public ObjectTorrent Torrent(ObjectRecord obj, TorrentFormat format) => Catalog.TryGetStored(obj, format)!;

    public async ValueTask DisposeAsync()
    {
        await Listener.StopAsync(CancellationToken.None);
        Listener.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
