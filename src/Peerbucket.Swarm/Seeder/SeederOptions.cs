namespace Peerbucket.Swarm.Seeder;

/// <summary>Limits and timings of the seeder (the peer wire listener).</summary>
public sealed record SeederOptions
{
    /// <summary>Open peer connections at most; more are closed at accept.</summary>
    public int MaxConnections { get; init; } = 500;

    /// <summary>Open connections per remote address at most (tests run everything on 127.0.0.1: keep it generous).</summary>
    public int MaxConnectionsPerAddress { get; init; } = 8;

    /// <summary>Regular unchoke slots (ranked by upload rate); one optimistic slot comes on top.</summary>
    public int MaxUnchoked { get; init; } = 8;

    /// <summary>Queued requests per peer at most (advertised as <c>reqq</c>); more are rejected.</summary>
    public int MaxOutstandingRequestsPerPeer { get; init; } = 2000;

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

    /// <summary>How often the optimistic unchoke slot moves to another choked peer.</summary>
    public TimeSpan OptimisticInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upload rate of the whole seeder in bytes per second; 0 = unlimited.</summary>
    public long MaxUploadRate { get; init; }

    /// <summary>Upload rate per torrent (object) in bytes per second; 0 = unlimited.</summary>
    public long MaxUploadRatePerTorrent { get; init; }

    /// <summary>Piece-message bytes per peer read (one scatter read per contiguous run) and sent (one write) at once.</summary>
    public int MaxSendBuffer { get; init; } = 256 * 1024;
}
