namespace Peerbucket.Swarm.Origin;

/// <summary>BEP 16 strict super-seeding: which piece a super-seeded session is offered next, and whether it downloads alone.</summary>
internal sealed partial class SwarmOrigin
{
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
                    if (!state.Has[i] && !state.Offered[i])
                    {
                        state.Offer(i);
                        all.Add(i);
                    }
                }

                return all;
            }

            var unheldOnly = false;
            if (state.CurrentOffer >= 0)
            {
                var last = state.CurrentOffer;
                // The next offer when the last was seen at another peer (strict), or when this peer finished it and
                // nobody reported it for a while; a peer that never fetches its offer gets no more.
                var seenElsewhere = _available[last] - (state.Has[last] ? 1 : 0) > 0;
                var patient = state.Has[last] && _time.GetElapsedTime(state.LastOffer) >= OfferPatience;
                if (!seenElsewhere && !patient)
                {
                    // Strict only for pieces a connected peer holds. A piece none holds (never given, or given to a
                    // wave that left) must leave the origin anyway, so a peer that finished its offer gets one of those
                    // at once: waiting for another peer's have costs the crowd time, and aria2 sends its haves about
                    // once a second, which would pay a second wave one piece per peer per second.
                    unheldOnly = state.Has[last];
                    if (!unheldOnly)
                    {
                        return [];
                    }
                }
            }

            // A starving peer gets one offer per StarveAfter whoever holds the piece (it fetches it, or starves on).
            var now = _time.GetTimestamp();
            var starving = StarvingLocked(state, now) && _time.GetElapsedTime(state.LastOffer, now) >= StarveAfter;
            var choice = ChooseOffer(peer, state, unheldOnly && !starving, starving);
            if (choice < 0)
            {
                return [];
            }

            state.Offer(choice);
            _offerHolder[choice] = state;
            state.LastOffer = _time.GetTimestamp();
            if (_given[choice] == 0 && state.Address is { } address)
            {
                _firstCopies.Took(address); // an offer is a first copy promised: it counts towards the share now
            }

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
            return _peers.TryGetValue(peer, out var state) && (!state.SuperSeeded || ((uint)piece < (uint)PieceCount && state.Offered[piece]));
        }
    }

    private int ChooseOffer(object peer, SwarmPeerState state, bool unheldOnly, bool starving)
    {
        var offeredNow = new HashSet<int>();
        foreach (var (other, otherState) in _peers)
        {
            if (other != peer && otherState.CurrentOffer >= 0 && _time.GetElapsedTime(otherState.LastOffer) < OfferPatience)
            {
                var last = otherState.CurrentOffer;
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
            if (state.Has[i] || state.Offered[i] || offeredNow.Contains(i))
            {
                continue;
            }

            // Never given beats given-but-nowhere-to-be-seen-for-a-while beats given-very-long-ago; the rest stays with
            // the peers (strict: once every piece is out, a crowd feeds itself).
            var score = RankForLocked(i, state.Address, now) is >= 0 and var rank ? rank : starving ? StarvingRank(i) : -1;
            if (score >= 0 && score < bestScore && (!unheldOnly || score < ValveRank))
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }
}
