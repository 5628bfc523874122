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
            _peers[peer] = new PeerState(PieceCount) { SuperSeeded = superSeeded, Address = address, Listed = listed, LastProgress = _time.GetTimestamp() };
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
    /// was news that may let a super-seeded peer get its next offer.</summary>
    public bool PeerHas(object peer, int piece)
    {
        if ((uint)piece >= (uint)PieceCount)
        {
            return false;
        }

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

            return true;
        }
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
    /// left the seeder is presumed gone (it quit without telling the tracker), so a lone downloader gets everything.</summary>
    public static readonly TimeSpan StarveAfter = TimeSpan.FromSeconds(10);

    private bool StarvingLocked(PeerState state, long now) =>
        state.HasCount < PieceCount && _time.GetElapsedTime(state.LastProgress, now) >= StarveAfter;

    /// <summary>Forgets a seed that left the seeder once <paramref name="state"/> starved since it left (see
    /// <see cref="StarveAfter"/>).</summary>
    private void SeeStarvingLocked(PeerState? state, long now)
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
            if (_peers.GetValueOrDefault(peer)?.Listed != false)
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
    /// fast extension, a reject: the client asks its peers instead) unless the peer starves (<see cref="StarveAfter"/>);
    /// the others count as given to the recipient.</summary>
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
            var state = _peers.GetValueOrDefault(peer);
            SeeStarvingLocked(state, now);
            if (!CrowdLocked(peer, recipient, tracker, now))
            {
                return true;
            }

            // Reserved when accepted, not when sent: a queue of accepted requests must not race the web seed.
            if (!NeededLocked(piece, recipient, now) && !(state is not null && StarvingLocked(state, now)))
            {
                return false;
            }

            GiveLocked(piece, recipient, now);
            return true;
        }
    }

    /// <summary>For a session told HaveAll: a piece the origin would serve it now (<see cref="MayServe"/> would say
    /// yes), or -1 when peers can serve everything it lacks. The rest of a piece it began first, then a piece the origin
    /// never gave, then one due to be given again, then (when it starves) the piece fewest connected peers report. Not
    /// reserved: that happens when a request for it is accepted.</summary>
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
            SeeStarvingLocked(state, now);
            var crowd = CrowdLocked(peer, recipient, tracker, now);
            var starving = StarvingLocked(state, now);
            var best = -1;
            var bestRank = long.MaxValue;
            for (var i = 0; i < PieceCount && bestRank > 0; i++)
            {
                if (state.Has[i])
                {
                    continue;
                }

                var rank = !crowd || Equals(_givenTo[i], recipient) ? 0 : RankLocked(i, now) is >= 0 and var r ? r + 1
                    : starving ? StarvingRank(i) : -1;
                if (rank >= 0 && rank < bestRank)
                {
                    best = i;
                    bestRank = rank;
                }
            }

            return best;
        }
    }

    /// <summary>
    /// BEP 16 strict: the pieces to announce (with <c>have</c>) to a super-seeded peer now. A peer holds one offer at a
    /// time; it gets the next when the last one has been seen at another peer, or after <see cref="OfferPatience"/>.
    /// Offered first: pieces the origin never gave, then pieces no connected peer has, least given first; never a piece
    /// offered to another peer right now. When the peer is the only one downloading it is offered everything; when it
    /// starves (<see cref="StarveAfter"/>), one piece its peers hold, once per <see cref="StarveAfter"/>.
    /// </summary>
    public IReadOnlyList<int> NextOffers(object peer, TrackerCounts tracker) =>
        NextOffers(peer, lone: IsAlone(peer, tracker));

    /// <summary>True when peers cannot serve this peer (<see cref="CrowdLocked"/> says no crowd).</summary>
    public bool IsAlone(object peer, TrackerCounts tracker)
    {
        lock (_lock)
        {
            See(tracker);
            var now = _time.GetTimestamp();
            var state = _peers.GetValueOrDefault(peer);
            SeeStarvingLocked(state, now);
            return !CrowdLocked(peer, state?.Address, tracker, now);
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

            // A starving peer gets one offer per StarveAfter whoever holds the piece (it fetches it, or starves on).
            var now = _time.GetTimestamp();
            var starving = StarvingLocked(state, now) && _time.GetElapsedTime(state.LastOffer, now) >= StarveAfter;
            var choice = ChooseOffer(peer, state, neverGivenOnly && !starving, starving);
            if (choice < 0)
            {
                return [];
            }

            state.Offered.Add(choice);
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

    private int ChooseOffer(object peer, PeerState state, bool neverGivenOnly, bool starving)
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
            var score = RankLocked(i, now) is >= 0 and var rank ? rank : starving ? StarvingRank(i) : -1;
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

            // A requester with a seeder session at its address is judged by that session's progress (it starves, or its
            // peers serve it); one without is given a piece its peers have not served it for StuckAfter.
            var (hasSession, starving) = SessionsAtLocked(client, now);
            if (CrowdLocked(null, client, tracker, now) && !starving)
            {
                var refused = false;
                for (var i = first; i <= last; i++)
                {
                    if (!NeededLocked(i, client, now))
                    {
                        if (!hasSession)
                        {
                            WantedLocked(i, now);
                        }

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

    /// <summary>Whether a seeder session joined from <paramref name="address"/>, and whether one of them starves.</summary>
    private (bool Any, bool Starving) SessionsAtLocked(string address, long now)
    {
        var any = false;
        foreach (var state in _peers.Values)
        {
            if (state.Address == address)
            {
                any = true;
                if (StarvingLocked(state, now))
                {
                    return (true, true);
                }
            }
        }

        return (any, false);
    }

    /// <summary>The rank of a piece that stays with the peers, for a starving downloader: after every other, fewest
    /// connected holders first (the rarest helps the crowd most).</summary>
    private long StarvingRank(int piece) => 3_000_000L + _available[piece];

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());
}
