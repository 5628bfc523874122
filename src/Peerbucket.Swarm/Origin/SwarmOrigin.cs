namespace Peerbucket.Swarm.Origin;

/// <summary>
/// What the origin knows of one swarm (one info-hash): how often it sent each piece (seeder or web seed), which pieces
/// the peers connected to its seeder have (their bitfields and <c>have</c>s), which piece each super-seeded peer was
/// offered, and who is downloading. It decides the two thrifty questions: which piece to offer a super-seeded peer
/// next (BEP 16, strict), and whether a web-seed range may be served now. Thread-safe (one lock per swarm).
/// </summary>
internal sealed class SwarmOrigin
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
    private readonly Dictionary<object, PeerState> _peers = [];
    private readonly Dictionary<string, long> _webSeedClients = new(StringComparer.Ordinal);
    private long _lastActivity;
    private long _seedLeft;
    private long _wantingSince;
    private int _connectedSeeds;
    private int _trackerSeeders;

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

    private sealed class PeerState(int pieceCount)
    {
        public bool[] Has { get; } = new bool[pieceCount];

        /// <summary>Pieces the origin sent (part of) or offered to this session.</summary>
        public bool[] FromOrigin { get; } = new bool[pieceCount];
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
        public List<int> Offered { get; } = [];
        public long LastOffer { get; set; }
    }

    /// <summary>A seeder session joined from <paramref name="address"/>; <paramref name="superSeeded"/> when it gets
    /// offers rather than HaveAll; <paramref name="listed"/> when the tracker lists its address (a peer it does not
    /// list cannot be found by the others, so peers never serve it in the origin's stead: <see cref="CrowdLocked"/>).</summary>
    public void Join(object peer, bool superSeeded, string? address = null, bool listed = true)
    {
        lock (_lock)
        {
            Touch();
            _peers[peer] = new PeerState(PieceCount) { SuperSeeded = superSeeded, Address = address, Listed = listed };
        }
    }

    public void Leave(object peer)
    {
        lock (_lock)
        {
            Touch();
            if (_peers.Remove(peer, out var state))
            {
                if (state.HasCount == PieceCount && PieceCount > 0)
                {
                    _seedLeft = _time.GetTimestamp();
                    _wantingSince = 0;
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

    /// <summary>The peer announced (<c>have</c>) that it finished <paramref name="piece"/>: as <see cref="PeerHas"/>, and
    /// when the origin did not send it that piece, proof that peers serve each other (a seed that left is still there:
    /// <see cref="SeedLeftLocked"/>).</summary>
    public void PeerGot(object peer, int piece)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return;
        }

        lock (_lock)
        {
            if (_peers.TryGetValue(peer, out var state) && PeerHasLocked(state, piece) && !state.FromOrigin[piece]
                && !(state.Address is { } address && _webSeedClients.TryGetValue(address, out var asked)
                    && _time.GetElapsedTime(asked) < WebSeedClientWindow))
            {
                _wantingSince = 0;
            }
        }
    }

    /// <summary>The peer has <paramref name="piece"/> (a bit of its bitfield, or a have). Returns true when this
    /// was news that may let a super-seeded peer get its next offer.</summary>
    public bool PeerHas(object peer, int piece)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return false;
        }

        lock (_lock)
        {
            return _peers.TryGetValue(peer, out var state) && PeerHasLocked(state, piece);
        }
    }

    private bool PeerHasLocked(PeerState state, int piece)
    {
        if (state.Has[piece])
        {
            return false;
        }

        state.Has[piece] = true;
        state.HasCount++;
        _available[piece]++;
        if (state.HasCount == PieceCount)
        {
            _connectedSeeds++;
        }

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
    /// telling the tracker, so a piece that only such a seed holds is given again once a downloader has wanted it for
    /// <see cref="StuckAfter"/> (<see cref="RankLocked"/>).
    /// </summary>
    private bool SeededLocked() => _connectedSeeds > 0 || SeedLeftLocked();

    private bool SeedLeftLocked() => _seedLeft != 0 && _trackerSeeders > 0;

    /// <summary>A seed that left the seeder is presumed gone (it quit without telling the tracker) once downloaders have
    /// wanted pieces from the origin this long and no <c>have</c> showed a peer serving another (<see cref="PeerGot"/>):
    /// a lone downloader then gets the origin after seconds, not after <see cref="StuckAfter"/> per piece.</summary>
    public static readonly TimeSpan SeedGoneAfter = TimeSpan.FromSeconds(5);

    /// <summary>A piece that only a seed gone from the seeder holds, wanted by a downloader for this long (refused to it,
    /// or all it lacks while nothing could be offered), is given again: that seed may have quit.</summary>
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

        if (_wantingSince == 0)
        {
            _wantingSince = now;
        }
        else if (_seedLeft != 0 && _time.GetElapsedTime(_wantingSince, now) >= SeedGoneAfter)
        {
            _seedLeft = 0;
        }
    }

    /// <summary>Every piece <paramref name="state"/> lacks that no connected peer reports was wanted now.</summary>
    private void WantedAllLocked(PeerState state, long now)
    {
        for (var i = 0; i < PieceCount; i++)
        {
            if (!state.Has[i] && _available[i] == 0)
            {
                WantedLocked(i, now);
            }
        }
    }

    /// <summary>Remembers the tracker's latest counts (read under the lock).</summary>
    private void See(TrackerCounts tracker) => _trackerSeeders = tracker.Seeders;

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
            var state = _peers.GetValueOrDefault(peer);
            if (state is not null)
            {
                state.FromOrigin[piece] = true;
            }

            if (state?.Listed != false)
            {
                GiveLocked(piece, recipient, _time.GetTimestamp());
            }
        }
    }

    private void GiveLocked(int piece, object recipient, long now)
    {
        _givenTo[piece] = _given[piece] == 0 || Equals(_givenTo[piece], recipient) ? recipient : Several;
        _given[piece]++;
        _lastGiven[piece] = now;
        _wantedSince[piece] = 0;
    }

    /// <summary>Whether the origin should send <paramref name="piece"/> to <paramref name="recipient"/> in a crowd: the
    /// rest of a piece it began towards this recipient, or a piece <see cref="RankLocked"/> does not leave with the peers.</summary>
    private bool NeededLocked(int piece, object recipient, long now) =>
        Equals(_givenTo[piece], recipient) || RankLocked(piece, now) >= 0;

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
        return since >= Regive && !held ? 1_000_000L + _given[piece]
            : since >= RegiveAnyway ? 2_000_000L + _given[piece]
            : -1;
    }

    /// <summary>For a session told HaveAll: in a crowd, blocks of pieces other peers can serve are refused (with the
    /// fast extension, a reject: the client asks its peers instead); the others count as given to the recipient.</summary>
    public bool MayServe(object peer, string recipient, int piece, TrackerCounts tracker)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return false;
        }

        lock (_lock)
        {
            See(tracker);
            var now = _time.GetTimestamp();
            if (!CrowdLocked(peer, recipient, tracker, now))
            {
                return true;
            }

            // Reserved when accepted, not when sent: a queue of accepted requests must not race the web seed.
            if (!NeededLocked(piece, recipient, now))
            {
                WantedLocked(piece, now);
                return false;
            }

            GiveLocked(piece, recipient, now);
            return true;
        }
    }

    /// <summary>For a session told HaveAll: a piece the origin would serve it now (<see cref="MayServe"/> would say
    /// yes), or -1 when peers can serve everything it lacks. The rest of a piece it began first, then a piece the origin
    /// never gave, then one due to be given again. Not reserved: that happens when a request for it is accepted.</summary>
    public int PieceFor(object peer, string recipient, TrackerCounts tracker)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state))
            {
                return -1;
            }

            See(tracker);
            var now = _time.GetTimestamp();
            var crowd = CrowdLocked(peer, recipient, tracker, now);
            var best = -1;
            var bestRank = long.MaxValue;
            for (var i = 0; i < PieceCount && bestRank > 0; i++)
            {
                if (state.Has[i])
                {
                    continue;
                }

                var rank = !crowd || Equals(_givenTo[i], recipient) ? 0 : RankLocked(i, now) is >= 0 and var r ? r + 1 : -1;
                if (rank >= 0 && rank < bestRank)
                {
                    best = i;
                    bestRank = rank;
                }
            }

            if (best < 0)
            {
                WantedAllLocked(state, now);
            }

            return best;
        }
    }

    /// <summary>
    /// BEP 16 strict: the pieces to announce (with <c>have</c>) to a super-seeded peer now. A peer holds one offer at a
    /// time; it gets the next when the last one has been seen at another peer, or after <see cref="OfferPatience"/>.
    /// Offered first: pieces the origin never gave, then pieces no connected peer has, least given first; never a piece
    /// offered to another peer right now. When the peer is the only one downloading it is offered everything.
    /// </summary>
    public IReadOnlyList<int> NextOffers(object peer, TrackerCounts tracker) =>
        NextOffers(peer, lone: IsAlone(peer, tracker));

    /// <summary>True when peers cannot serve this peer (<see cref="CrowdLocked"/> says no crowd).</summary>
    public bool IsAlone(object peer, TrackerCounts tracker)
    {
        lock (_lock)
        {
            See(tracker);
            return !CrowdLocked(peer, _peers.GetValueOrDefault(peer)?.Address, tracker, _time.GetTimestamp());
        }
    }

    public IReadOnlyList<int> NextOffers(object peer, bool lone)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var state) || !state.SuperSeeded)
            {
                return [];
            }

            if (lone)
            {
                var all = new List<int>();
                for (var i = 0; i < PieceCount; i++)
                {
                    if (!state.Has[i] && !state.Offered.Contains(i))
                    {
                        state.Offered.Add(i);
                        state.FromOrigin[i] = true;
                        all.Add(i);
                    }
                }

                return all;
            }

            var neverGivenOnly = false;
            if (state.Offered.Count > 0)
            {
                var last = state.Offered[^1];
                // The next offer when the last was seen at another peer (strict), or when this peer finished it and
                // nobody reported it for a while; a peer that never fetches its offer gets no more.
                var seenElsewhere = _available[last] - (state.Has[last] ? 1 : 0) > 0;
                var patient = state.Has[last] && _time.GetElapsedTime(state.LastOffer) >= OfferPatience;
                if (!seenElsewhere && !patient)
                {
                    // Strict for pieces the origin gave before; a piece it never gave must leave once anyway, so a
                    // peer that finished its offer gets one of those at once (waiting only costs the crowd time).
                    neverGivenOnly = state.Has[last];
                    if (!neverGivenOnly)
                    {
                        return [];
                    }
                }
            }

            var choice = ChooseOffer(peer, state, neverGivenOnly);
            if (choice < 0)
            {
                if (state.Offered.Count == 0 || state.Has[state.Offered[^1]])
                {
                    WantedAllLocked(state, _time.GetTimestamp()); // done with its offer, and nothing to offer it
                }

                return [];
            }

            state.Offered.Add(choice);
            state.FromOrigin[choice] = true;
            state.LastOffer = _time.GetTimestamp();
            _given[choice]++;
            _lastGiven[choice] = state.LastOffer;
            _givenTo[choice] = Several; // promised to this peer: the web seed must not give it to anyone else
            return [choice];
        }
    }

    /// <summary>True when the piece was announced to this super-seeded peer (it may request it).</summary>
    public bool WasOffered(object peer, int piece)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(peer, out var state) && (!state.SuperSeeded || state.Offered.Contains(piece));
        }
    }

    private int ChooseOffer(object peer, PeerState state, bool neverGivenOnly)
    {
        var offeredNow = new HashSet<int>();
        foreach (var (other, otherState) in _peers)
        {
            if (other != peer && otherState.Offered.Count > 0 && _time.GetElapsedTime(otherState.LastOffer) < OfferPatience)
            {
                var last = otherState.Offered[^1];
                if (!otherState.Has[last])
                {
                    offeredNow.Add(last);
                }
            }
        }

        var best = -1;
        var bestScore = long.MaxValue;
        var now = _time.GetTimestamp();
        for (var i = 0; i < PieceCount; i++)
        {
            if (state.Has[i] || state.Offered.Contains(i) || offeredNow.Contains(i))
            {
                continue;
            }

            // Never given beats given-but-nowhere-to-be-seen-for-a-while beats given-very-long-ago; the rest stays with
            // the peers (strict: once every piece is out, a crowd feeds itself).
            var score = RankLocked(i, now);
            if (score >= 0 && score < bestScore && (!neverGivenOnly || score == 0))
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>
    /// Whether the web seed may serve the pieces <paramref name="first"/>..<paramref name="last"/> to
    /// <paramref name="client"/> now — and if so they count as given at once, so a concurrent request for the same
    /// pieces is refused: yes for a lone downloader; yes when no piece of the range was given before (or only long ago,
    /// and no connected peer has it); else no, and peers should serve it.
    /// </summary>
    public bool TryTakeRange(string client, int first, int last, TrackerCounts tracker)
    {
        first = Math.Max(first, 0);
        last = Math.Min(last, PieceCount - 1);
        lock (_lock)
        {
            Touch();
            See(tracker);
            var now = _time.GetTimestamp();
            _webSeedClients[client] = now;
            if (_webSeedClients.Count > 1024)
            {
                foreach (var stale in _webSeedClients.Where(c => _time.GetElapsedTime(c.Value, now) >= WebSeedClientWindow).Select(c => c.Key).ToList())
                {
                    _webSeedClients.Remove(stale);
                }
            }

            if (CrowdLocked(null, client, tracker, now))
            {
                var refused = false;
                for (var i = first; i <= last; i++)
                {
                    if (!NeededLocked(i, client, now))
                    {
                        WantedLocked(i, now);
                        refused = true;
                    }
                }

                if (refused)
                {
                    return false;
                }
            }

            for (var i = first; i <= last; i++)
            {
                GiveLocked(i, client, now);
            }

            return true;
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());
}
