namespace Peerbucket.Swarm.Origin;

/// <summary>
/// What the origin knows of one swarm (one info-hash): how often it sent each piece (seeder or web seed), which pieces
/// the peers connected to its seeder have (their bitfields and <c>have</c>s), which piece each super-seeded peer was
/// offered, and who is downloading. It decides the two thrifty questions: which piece to offer a super-seeded peer
/// next (BEP 16, strict), and whether a web-seed range may be served now. Thread-safe (one lock per swarm).
/// </summary>
internal sealed partial class SwarmOrigin
{
    /// <summary>A piece given away this long ago that no peer connected to the seeder reports may be given again: its
    /// holder may have left, may not be connected to the seeder, or may never report it (a client told HaveAll need
    /// not send haves to a seed). A piece some connected peer reports stays with the peers.</summary>
    public static readonly TimeSpan Regive = TimeSpan.FromSeconds(15);

    /// <summary>The liveness valve: a piece given away this long ago may be given again whoever holds it, so a
    /// downloader whose peers will not serve it waits at most this long for a piece from the origin.</summary>
    public static readonly TimeSpan RegiveAnyway = TimeSpan.FromSeconds(120);

    /// <summary>A super-seeded peer whose offered piece no other peer has reported for this long gets one more offer.</summary>
    public static readonly TimeSpan OfferPatience = TimeSpan.FromSeconds(3);

    /// <summary>How long a web-seed requester counts as downloading after its last request.</summary>
    public static readonly TimeSpan WebSeedClientWindow = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly int[] _given;
    private readonly long[] _lastGiven;
    private readonly object?[] _givenTo;
    private readonly TimeProvider _time;
    private readonly long _created;
    private readonly int[] _available;
    private readonly long[] _wantedSince;

    /// <summary>Per piece, the super-seeded peer that holds it as its current offer (strict BEP 16 waits for another
    /// peer's <c>have</c> of it before that peer's next offer: the have wakes it, <see cref="PeerHas"/>).</summary>
    private readonly SwarmPeerState?[] _offerHolder;
    private readonly Dictionary<object, SwarmPeerState> _peers = [];
    private readonly Dictionary<string, long> _webSeedClients = new(StringComparer.Ordinal);
    private long _lastActivity;
    private long _seedLeft;
    private int _connectedSeeds;
    private int _trackerSeeders;
    private int _trackerLeechers;

    private readonly FirstCopyShares _firstCopies;

    public SwarmOrigin(int pieceCount, long pieceLength, long length, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _created = _lastActivity = _time.GetTimestamp();
        PieceCount = pieceCount;
        PieceLength = pieceLength;
        Length = length;
        _given = new int[pieceCount];
        _lastGiven = new long[pieceCount];
        _givenTo = new object?[pieceCount];
        _available = new int[pieceCount];
        _wantedSince = new long[pieceCount];
        _offerHolder = new SwarmPeerState?[pieceCount];
        _firstCopies = new FirstCopyShares(_time);
    }

    public int PieceCount { get; }

    public long PieceLength { get; }

    public long Length { get; }

    /// <summary>Time since anything touched this swarm (for forgetting idle swarms).</summary>
    public TimeSpan Idle => _time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Pieces the origin sent at least once, by any path.</summary>
    public int PiecesGiven
    {
        get
        {
            lock (_lock)
            {
                return _given.Count(g => g > 0);
            }
        }
    }

    /// <summary>A seeder session joined from <paramref name="address"/>; <paramref name="superSeeded"/> when it gets
    /// offers rather than HaveAll; <paramref name="listed"/> when the tracker lists its address (a peer it does not
    /// list cannot be found by the others, so peers never serve it in the origin's stead: <see cref="CrowdLocked"/>).
    /// <paramref name="wake"/> is called when another peer reports the piece this one was offered (its next offer is due).</summary>
    public void Join(object peer, bool superSeeded, string? address = null, bool listed = true, Action? wake = null)
    {
        lock (_lock)
        {
            Touch();
            _peers[peer] = new SwarmPeerState(PieceCount)
            {
                SuperSeeded = superSeeded,
                Address = address,
                Listed = listed,
                LastProgress = _time.GetTimestamp(),
                Wake = wake,
            };
        }
    }

    public void Leave(object peer)
    {
        lock (_lock)
        {
            Touch();
            if (_peers.Remove(peer, out var state))
            {
                if (state.CurrentOffer >= 0 && _offerHolder[state.CurrentOffer] == state)
                {
                    _offerHolder[state.CurrentOffer] = null;
                }

                if (state.HasCount == PieceCount && PieceCount > 0)
                {
                    _seedLeft = _time.GetTimestamp();
                    _connectedSeeds--;
                }

                for (var i = 0; i < PieceCount; i++)
                {
                    if (state.Has[i])
                    {
                        _available[i]--;
                    }
                }
            }
        }
    }

    /// <summary>How many pieces the peer reported having.</summary>
    public int PiecesOf(object peer)
    {
        lock (_lock)
        {
            return _peers.GetValueOrDefault(peer)?.HasCount ?? 0;
        }
    }

    /// <summary>The peer asked for a block (served or not).</summary>
    public void Requested(object peer)
    {
        lock (_lock)
        {
            if (_peers.TryGetValue(peer, out var state))
            {
                state.LastRequest = _time.GetTimestamp();
            }
        }
    }

    /// <summary>The peer has <paramref name="piece"/> (a bit of its bitfield, or a have). Returns true when this
    /// was news that may let a super-seeded peer get its next offer: the peer itself (it finished its offer), or the
    /// other peer that holds the piece as its offer, which is woken.</summary>
    public bool PeerHas(object peer, int piece)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return false;
        }

        Action? wake = null;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state) || state.Has[piece])
            {
                return false;
            }

            state.Has[piece] = true;
            state.HasCount++;
            state.LastProgress = _time.GetTimestamp();
            _available[piece]++;
            if (state.HasCount == PieceCount)
            {
                _connectedSeeds++;
            }

            if (_offerHolder[piece] is { } holder && holder != state && holder.CurrentOffer == piece)
            {
                wake = holder.Wake;
            }
        }

        wake?.Invoke();
        return true;
    }

    /// <summary>Whether a peer joining now from <paramref name="address"/> meets a crowd that can serve it (never when the
    /// tracker does not list it, <paramref name="listed"/>: the others cannot find it): a seed holds
    /// every piece (<see cref="SeededLocked"/>), or the tracker counts two or more leechers (its count includes the
    /// joiner, which announced first) and, past the swarm's first seconds, another downloader is here
    /// (<see cref="OtherDownloaderLocked"/>).</summary>
    public bool CrowdAtJoin(TrackerCounts tracker, string? address = null, bool listed = true)
    {
        lock (_lock)
        {
            See(tracker);
            var now = _time.GetTimestamp();
            return listed && (SeededLocked() || (tracker.Leechers >= 2 && (!SettledLocked(now) || OtherDownloaderLocked(null, address, now))));
        }
    }

    /// <summary>
    /// Whether peers can serve <paramref name="self"/> (a seeder session; null for a web-seed request) so the origin holds
    /// back: a seed holds every piece; or the swarm is in its first seconds (a flash crowd's announces and connections
    /// are still arriving); or the tracker counts two or more leechers (so they know each other) and another downloader
    /// is really here (<see cref="OtherDownloaderLocked"/>). Sessions that only dialled the seeder make no crowd: without
    /// the tracker (or DHT/PEX) they cannot reach each other. Nor does a leecher the tracker still lists that never
    /// connected or left without saying so: holding back for it would leave a lone client waiting on nobody. A session
    /// whose address the tracker did not list is never in a crowd: the others cannot find it.
    /// </summary>
    private bool CrowdLocked(object? self, string? address, TrackerCounts tracker, long now) =>
        (self is null || _peers.GetValueOrDefault(self)?.Listed != false)
        && (SeededLocked() || !SettledLocked(now) || (tracker.Leechers >= 2 && OtherDownloaderLocked(self, address, now)));

    /// <summary>Another downloader than <paramref name="self"/>: a seeder session that takes part
    /// (<see cref="PeerState.TakesPart"/>), or a recent web-seed requester at an address other than
    /// <paramref name="address"/>. (A web-seed request cannot tell the sessions from its own address apart from its
    /// own: they all count.)</summary>
    private bool OtherDownloaderLocked(object? self, string? address, long now) =>
        _peers.Any(p => p.Key != self && p.Value.TakesPart(PieceCount))
        || _webSeedClients.Any(c => c.Key != address && _time.GetElapsedTime(c.Value, now) < WebSeedClientWindow);

    /// <summary>
    /// True when a peer holds every piece: one connected to the seeder reports them all, or one that did has left the
    /// seeder (a client that finished drops its connection to a seed) and the tracker still counts a seed. Pieces then
    /// stay with the peers (given again only after <see cref="RegiveAnyway"/>), and nobody downloads alone. Trusts no
    /// more than a <c>have</c> does: a real connection must have claimed all pieces. Many clients quit when done without
    /// telling the tracker, so such a seed is presumed gone once a downloader starves (<see cref="StarveAfter"/>), and a
    /// piece that only it holds is given to a web-seed requester without a session that wanted it for
    /// <see cref="StuckAfter"/> (<see cref="RankLocked"/>).
    /// </summary>
    private bool SeededLocked() => _connectedSeeds > 0 || SeedLeftLocked();

    private bool SeedLeftLocked() => _seedLeft != 0 && _trackerSeeders > 0;

    /// <summary>A downloader that reported no new piece for this long while lacking some is starving: its peers do not
    /// serve it (they left, choke it, or dropped it: aria2 drops a peer when neither side was interested for 30 s). The
    /// origin then gives it a piece it lacks whoever holds it (one offer, or a block request served), and a seed that
    /// left the seeder is presumed gone (it quit without telling the tracker), so a lone downloader gets everything.
    /// One piece per this long, not more: a starving session fed faster takes whole copies while its peers are slow to
    /// start serving it (BENCHMARKS 9g).</summary>
    public static readonly TimeSpan StarveAfter = TimeSpan.FromSeconds(10);

    private bool StarvingLocked(SwarmPeerState state, long now) =>
        state.HasCount < PieceCount && _time.GetElapsedTime(state.LastProgress, now) >= StarveAfter;

    /// <summary>Forgets a seed that left the seeder once <paramref name="state"/> starved since it left (see
    /// <see cref="StarveAfter"/>).</summary>
    private void SeeStarvingLocked(SwarmPeerState? state, long now)
    {
        if (_seedLeft != 0 && state is not null && StarvingLocked(state, now) && _time.GetElapsedTime(_seedLeft, now) >= StarveAfter)
        {
            _seedLeft = 0;
        }
    }

    /// <summary>A piece that only a seed gone from the seeder holds, wanted by a web-seed requester with no seeder
    /// session for this long (refused to it), is given again: that seed may have quit. (Seeder sessions have
    /// <see cref="StarveAfter"/>.)</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(20);

    private bool StuckLocked(int piece, long now) => _wantedSince[piece] != 0 && _time.GetElapsedTime(_wantedSince[piece], now) >= StuckAfter;

    /// <summary>A downloader wanted <paramref name="piece"/> and the origin said no (kept from the first time until the
    /// piece is given).</summary>
    private void WantedLocked(int piece, long now)
    {
        if (_wantedSince[piece] == 0)
        {
            _wantedSince[piece] = now;
        }
    }

    /// <summary>Remembers the tracker's latest counts (read under the lock).</summary>
    private void See(TrackerCounts tracker)
    {
        _trackerSeeders = tracker.Seeders;
        _trackerLeechers = tracker.Leechers;
    }

    /// <summary>For this long after a swarm's first request nobody counts as a lone downloader (each piece leaves
    /// once): a flash crowd's announces reach the tracker only just before its first requests.</summary>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(2);

    private bool SettledLocked(long now) => _time.GetElapsedTime(_created, now) >= StartupGrace;

    private static readonly object Several = new();

    /// <summary>Counts bytes the origin sent of <paramref name="piece"/> to seeder session <paramref name="peer"/> at
    /// <paramref name="recipient"/> (a block of it, or all of it). A session the tracker does not list is beyond the
    /// crowd's reach: what it got does not count as out with the peers.</summary>
    public void Gave(object peer, int piece, object recipient)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return;
        }

        lock (_lock)
        {
            Touch();
            if (_peers.GetValueOrDefault(peer)?.Listed != false)
            {
                GiveLocked(piece, recipient, _time.GetTimestamp());
            }
        }
    }

    private void GiveLocked(int piece, object recipient, long now)
    {
        if (_given[piece] == 0 && recipient is string address)
        {
            _firstCopies.Took(address);
        }

        _givenTo[piece] = _given[piece] == 0 || Equals(_givenTo[piece], recipient) ? recipient : Several;
        _given[piece]++;
        _lastGiven[piece] = now;
        _wantedSince[piece] = 0;
    }

    /// <summary>Whether the origin should send <paramref name="piece"/> to <paramref name="recipient"/> in a crowd: the
    /// rest of a piece it began towards this recipient, or a piece <see cref="RankLocked"/> does not leave with the peers.</summary>
    private bool NeededLocked(int piece, string recipient, long now) =>
        Equals(_givenTo[piece], recipient) || RankForLocked(piece, recipient, now) >= 0;

    /// <summary><see cref="RankLocked"/> for <paramref name="recipient"/>: a piece never given is not its to take once it
    /// took its share of those (<see cref="OverShareLocked"/>), so the others get them and everyone has something to trade.</summary>
    private long RankForLocked(int piece, string? recipient, long now) =>
        RankLocked(piece, now) is var rank && rank == 0 && OverShareLocked(recipient) ? -1 : rank;

    /// <summary>True when <paramref name="more"/> more first copies would give <paramref name="recipient"/> more than
    /// its share (<see cref="FirstCopyShares"/>); downloaders are the tracker's leechers or the seeder's sessions,
    /// whichever is more.</summary>
    private bool OverShareLocked(string? recipient, int more = 1) =>
        recipient is not null && _firstCopies.WouldExceed(recipient, more, PieceCount, Math.Max(_trackerLeechers, _peers.Count));

    /// <summary>-1 while the piece stays with the peers; else its rank for giving (lower first): 0 for a piece the
    /// origin never gave and no peer holds; then pieces given before that no connected peer reports, given at least
    /// <see cref="Regive"/> ago; then pieces past the liveness valve (<see cref="RegiveAnyway"/>; for a piece never
    /// given, counted from the swarm's start); least given first.</summary>
    private long RankLocked(int piece, long now)
    {
        var held = _available[piece] > 0 || _connectedSeeds > 0 || (SeedLeftLocked() && !StuckLocked(piece, now));
        if (_given[piece] == 0 && !held)
        {
            return 0;
        }

        var since = _time.GetElapsedTime(_given[piece] == 0 ? _created : _lastGiven[piece], now);
        return since >= Regive && !held ? UnheldRank + _given[piece]
            : since >= RegiveAnyway ? ValveRank + _given[piece]
            : -1;
    }

    /// <summary>Ranks from <see cref="RankLocked"/>: pieces given before that no connected peer holds start here; pieces
    /// past the valve at <see cref="ValveRank"/>; pieces for a starving peer (<see cref="StarvingRank"/>) after those.</summary>
    private const long UnheldRank = 1_000_000L;

    private const long ValveRank = 2_000_000L;

    /// <summary>The rank of a piece that stays with the peers, for a starving downloader: after every other, fewest
    /// connected holders first (the rarest helps the crowd most).</summary>
    private long StarvingRank(int piece) => ValveRank + UnheldRank + _available[piece];

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());
}
