using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Peerbucket.Storage.Blobs;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>What every peer session of one listener shares.</summary>
internal sealed class SeederContext
{
    public required ServedTorrents Served { get; init; }

    /// <summary>The origin's state per swarm and its policy (super-seeding, shared with the web seed).</summary>
    public required SwarmOrigins Origins { get; init; }

    public required BlobStore Blobs { get; init; }

    public required SeederOptions Options { get; init; }

    public required SeederStats Stats { get; init; }

    public required Choker Choker { get; init; }

    public required UploadThrottle Throttle { get; init; }

    /// <summary>Our 20-byte peer id: <c>-PB0001-</c> and 12 random characters.</summary>
    public required byte[] PeerId { get; init; }

    public required ILogger Logger { get; init; }

    /// <summary>Sessions past the handshake, for the re-check when objects change.</summary>
    public ConcurrentDictionary<PeerSession, byte> Sessions { get; } = new();
}
