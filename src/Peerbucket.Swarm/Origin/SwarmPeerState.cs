namespace Peerbucket.Swarm.Origin;

/// <summary>What <see cref="SwarmOrigin"/> knows of one seeder session: the pieces it reported, when it last made
/// progress or asked for a block, where it connects from, and (super-seeded) what it was offered. Guarded by the
/// swarm's lock.</summary>
internal sealed class SwarmPeerState(int pieceCount)
{
    public bool[] Has { get; } = new bool[pieceCount];

    /// <summary>When the peer last reported a piece it did not have (or joined).</summary>
    public long LastProgress { get; set; }
    public int HasCount { get; set; }
    public long LastRequest { get; set; }

    /// <summary>Short of pieces and taking part: it asked for a block or reported a piece. (A super-seeded peer
    /// waiting for its next offer asks the origin for nothing, yet downloads from its peers; a peer that only says
    /// "interested" and never asks is a slot hog.)</summary>
    public bool TakesPart(int pieceCount) => HasCount < pieceCount && (LastRequest != 0 || HasCount > 0);

    /// <summary>The peer's address, as the web seed names its requesters.</summary>
    public string? Address { get; init; }

    /// <summary>The tracker listed the peer's address when it joined.</summary>
    public bool Listed { get; init; } = true;

    public bool SuperSeeded { get; set; }

    /// <summary>Per piece: announced to this super-seeded peer (it may request it).</summary>
    public bool[] Offered { get; } = new bool[pieceCount];

    /// <summary>The piece this super-seeded peer holds as its offer now (the last offered), or -1.</summary>
    public int CurrentOffer { get; private set; } = -1;

    public long LastOffer { get; set; }

    public void Offer(int piece)
    {
        Offered[piece] = true;
        CurrentOffer = piece;
    }

    /// <summary>Wakes the session to look for its next offer (called outside the lock); null: it looks on its own.</summary>
    public Action? Wake { get; init; }
}
