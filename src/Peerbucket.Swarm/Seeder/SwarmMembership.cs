using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// One seeder session's place in its swarm's origin state: what the peer has (from its bitfield and haves), whether it
/// asks for blocks, the pieces the origin gave it, and — when the session is super-seeded (BEP 16, thrifty policy with two
/// or more downloaders at the handshake) — which pieces it was offered and may request.
/// </summary>
internal sealed class SwarmMembership : IDisposable
{
    private readonly SwarmOrigin _origin;
    private readonly Func<TrackerCounts> _tracker;
    private readonly bool _thrifty;

    /// <summary>Who the bytes go to, as the web seed names it too (the peer's address), so a piece begun on one path
    /// may be finished on the other.</summary>
    private readonly string _recipient;

    /// <param name="listed">Whether the tracker lists the peer's address (<see cref="SwarmOrigins.TrackerLists"/>): a
    /// peer it does not list cannot be found by the others, so it is never held back for them.</param>
    public SwarmMembership(SwarmOrigin origin, Func<TrackerCounts> tracker, bool thrifty, string recipient, bool listed = true)
    {
        _recipient = recipient;
        _origin = origin;
        _tracker = tracker;
        _thrifty = thrifty;
        Listed = listed;

        SuperSeeding = thrifty && origin.CrowdAtJoin(tracker(), recipient, listed);
        origin.Join(this, SuperSeeding, recipient, listed, wake: () => Volatile.Read(ref _wake)?.Invoke());
    }

    private Action? _wake;

    /// <summary>What wakes the session when its next offer may be due because another peer reported its current one
    /// (set once the session's uploader exists).</summary>
    public void WakeWith(Action wake) => Volatile.Write(ref _wake, wake);

    /// <summary>The peer's address, as the web seed names it.</summary>
    public string Recipient => _recipient;

    /// <summary>The tracker listed the peer's address when it joined: the swarm can find it and fetch from it.</summary>
    public bool Listed { get; }

    /// <summary>The swarm's origin policy is thrifty (pieces the crowd holds stay with the crowd).</summary>
    public bool Thrifty => _thrifty;

    /// <summary>True when the peer is offered pieces one at a time instead of being told the seed has them all.</summary>
    public bool SuperSeeding { get; }

    public int PieceCount => _origin.PieceCount;

    /// <summary>How many pieces the peer reported having.</summary>
    public int PeerPieces => _origin.PiecesOf(this);

    public void Requested() => _origin.Requested(this);

    public void PeerHas(int piece) => _origin.PeerHas(this, piece);

    public void PeerHasAll()
    {
        for (var i = 0; i < _origin.PieceCount; i++)
        {
            _origin.PeerHas(this, i);
        }
    }

    public void PeerHas(BitfieldMessage bitfield)
    {
        for (var i = 0; i < _origin.PieceCount; i++)
        {
            if (bitfield.HasPiece(i))
            {
                _origin.PeerHas(this, i);
            }
        }
    }

    /// <summary>Whether the peer may be sent blocks of <paramref name="piece"/>: super-seeded, only what it was offered;
    /// told HaveAll under the thrifty policy, in a crowd only pieces peers cannot serve (<see cref="SwarmOrigin.MayServe"/>).</summary>
    public bool MayRequest(int piece) => SuperSeeding ? _origin.WasOffered(this, piece) : !_thrifty || _origin.MayServe(this, _recipient, piece, _tracker());

    /// <summary>For a session told HaveAll under the thrifty policy: a piece the origin would serve it now, or -1 when
    /// its peers can serve all it lacks (it is then held choked). Without the thrifty policy, any piece (0).</summary>
    public int PieceToServe() => !_thrifty ? 0 : _origin.PieceFor(this, _recipient, _tracker());

    /// <summary>New pieces to announce with <c>have</c> (super-seeding only); everything once the peer downloads alone.</summary>
    public IReadOnlyList<int> TakeOffers() =>
        SuperSeeding ? _origin.NextOffers(this, _tracker()) : [];

    /// <summary>The origin sent (part of) <paramref name="piece"/> to this peer.</summary>
    public void Gave(int piece) => _origin.Gave(this, piece, _recipient);

    public void Dispose() => _origin.Leave(this);
}
