namespace Peerbucket.Swarm.Origin;

/// <summary>What the origin serves in a crowd: blocks for sessions told HaveAll, and ranges of the web seed.</summary>
internal sealed partial class SwarmOrigin
{
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

                var rank = !crowd || Equals(_givenTo[i], recipient) ? 0 : RankForLocked(i, recipient, now) is >= 0 and var r ? r + 1
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
                // A range is all or nothing: libtorrent asks its web seeds for up to 16 MiB at once, which alone can be
                // more first copies than one downloader's share.
                var fresh = 0;
                for (var i = first; i <= last; i++)
                {
                    fresh += _given[i] == 0 ? 1 : 0;
                }

                var refused = fresh > 0 && OverShareLocked(client, fresh);
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
}
