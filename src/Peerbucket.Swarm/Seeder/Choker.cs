namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// Who may download: up to <see cref="SeederOptions.MaxUnchoked"/> interested peers (re-ranked by upload rate every
/// <see cref="SeederOptions.ChokeInterval"/>) plus one optimistic slot that moves every
/// <see cref="SeederOptions.OptimisticInterval"/>. A slot freed by a leaving or uninterested peer is refilled at once.
/// </summary>
internal sealed class Choker(SeederOptions options)
{
    private readonly Lock _lock = new();
    private readonly HashSet<PeerSession> _interested = [];
    private readonly HashSet<PeerSession> _unchoked = [];
    private PeerSession? _optimistic;

    public void Interested(PeerSession session)
    {
        lock (_lock)
        {
            if (!_interested.Add(session))
            {
                return;
            }

            if (_unchoked.Count < options.MaxUnchoked)
            {
                Unchoke(session);
            }
            else if (_optimistic is null)
            {
                _optimistic = session;
                session.SetChoked(false);
            }
        }
    }

    public void NotInterested(PeerSession session) => Remove(session);

    public void Remove(PeerSession session)
    {
        lock (_lock)
        {
            _interested.Remove(session);
            var freed = _unchoked.Remove(session) | (_optimistic == session);
            if (_optimistic == session)
            {
                _optimistic = null;
            }

            session.SetChoked(true);
            if (freed)
            {
                Fill();
            }
        }
    }

    /// <summary>Re-ranks interested peers by bytes sent since the last round; optionally moves the optimistic slot.</summary>
    public void Rechoke(bool rotateOptimistic)
    {
        lock (_lock)
        {
            var ranked = _interested
                .Select(s => (Session: s, Bytes: s.TakeRoundBytes()))
                .OrderByDescending(p => p.Bytes)
                .Select(p => p.Session)
                .ToList();
            var keep = ranked.Take(options.MaxUnchoked).ToHashSet();
            foreach (var session in _unchoked.Where(s => !keep.Contains(s)).ToList())
            {
                _unchoked.Remove(session);
                if (session != _optimistic)
                {
                    session.SetChoked(true);
                }
            }

            foreach (var session in keep)
            {
                Unchoke(session);
            }

            if (_optimistic is not null && (rotateOptimistic || _unchoked.Contains(_optimistic)))
            {
                if (!_unchoked.Contains(_optimistic))
                {
                    _optimistic.SetChoked(true);
                }

                _optimistic = null;
            }

            Fill();
        }
    }

    private void Unchoke(PeerSession session)
    {
        _unchoked.Add(session);
        session.SetChoked(false);
    }

    /// <summary>Fills free regular slots, then the optimistic slot, from interested choked peers (at random).</summary>
    private void Fill()
    {
        var waiting = _interested.Where(s => !_unchoked.Contains(s) && s != _optimistic).ToList();
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(waiting));
        var next = 0;
        while (_unchoked.Count < options.MaxUnchoked && next < waiting.Count)
        {
            Unchoke(waiting[next++]);
        }

        if (_optimistic is null && next < waiting.Count)
        {
            _optimistic = waiting[next];
            _optimistic.SetChoked(false);
        }
    }
}
