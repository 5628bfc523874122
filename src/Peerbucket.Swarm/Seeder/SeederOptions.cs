namespace Peerbucket.Swarm.Seeder;

/// <summary>Limits and timings of the seeder (the peer wire listener). The limits a user may set have the names of their
/// <c>serve</c> flags and <c>Seeder:</c> settings (<c>--max-peers</c> is <see cref="MaxPeers"/>, ...).</summary>
public sealed record SeederOptions
{
    /// <summary>Open peer connections at most (<c>--max-peers</c>). When full, a new peer takes the place of the least
    /// useful one (<see cref="SlotEviction"/>); when none may be evicted, it is closed at accept.</summary>
    public int MaxPeers { get; init; } = 500;

    /// <summary>Open connections per remote address at most (<c>--max-peers-per-address</c>).</summary>
    public int MaxPeersPerAddress { get; init; } = 8;

    /// <summary>Open connections per IPv4 /24 or IPv6 /48 at most (<c>--max-peers-per-subnet</c>): one host with many
    /// addresses cannot take every slot either.</summary>
    public int MaxPeersPerSubnet { get; init; } = 64;

    /// <summary>A peer connected this long that asked for no block lately (or never said it is interested, or has every
    /// piece) may lose its connection to a new peer when the seeder is full.</summary>
    public TimeSpan EvictableAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Regular unchoke slots, ranked by upload rate (<c>--unchoke-slots</c>); one optimistic slot comes on top.</summary>
    public int UnchokeSlots { get; init; } = 8;

    /// <summary>Queued requests per peer at most, advertised as <c>reqq</c> (<c>--max-requests-per-peer</c>); more are rejected.</summary>
    public int MaxRequestsPerPeer { get; init; } = 2000;

    /// <summary>BEP 6 allowed fast set size: pieces a fast-extension peer on IPv4 may fetch while choked (0 = none).</summary>
    public int AllowedFastSetSize { get; init; } = 10;

    /// <summary>A peer that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The whole 68-byte handshake must arrive within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A write (flush) that the peer does not drain within this closes the connection.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A keep-alive goes out when nothing else was sent for this long.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the choker re-ranks interested peers by upload rate.</summary>
    public TimeSpan ChokeInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An unchoked peer that requests nothing for this long is choked again and marked idle.</summary>
    public TimeSpan UnchokeGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>An unchoked peer that took none of the bytes handed to it for this long is choked again and marked idle:
    /// a peer that asks but does not read must not sit on a slot (the kernel's send buffer swallows a megabyte or more
    /// of its blocks, so no write of ours waits).</summary>
    public TimeSpan StallGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the optimistic unchoke slot moves to another choked peer.</summary>
    public TimeSpan OptimisticInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upload rate of the whole seeder in bytes per second (<c>--max-upload-rate</c>); 0 = unlimited.</summary>
    public long MaxUploadRate { get; init; }

    /// <summary>Upload rate per object, all its torrents' swarms together, in bytes per second
    /// (<c>--max-upload-rate-per-object</c>); 0 = unlimited.</summary>
    public long MaxUploadRatePerObject { get; init; }

    /// <summary>Piece-message bytes per peer read (one scatter read per contiguous run) and sent (one write) at once.</summary>
    public int MaxSendBuffer { get; init; } = 256 * 1024;
}
