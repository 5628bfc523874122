using System.Runtime.InteropServices;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// Who may download, seeder-wide: up to <see cref="SeederOptions.MaxUnchoked"/> interested peers plus one optimistic
/// slot that moves every <see cref="SeederOptions.OptimisticInterval"/>. Every <see cref="SeederOptions.ChokeInterval"/>
/// the slots are re-ranked, as a seed should: peers that are downloading keep their slot by upload rate for a turn
/// of <see cref="TurnRounds"/> rounds; then waiting peers come first (round robin, random order); peers that held a
/// slot for a whole round without asking for anything come last. So no set of idle connections can hold the slots
/// and no fast peer can keep them forever. A slot freed by a leaving or uninterested peer is refilled at once.
/// </summary>
internal sealed class Choker(SeederOptions options, TimeProvider time)
{
    /// <summary>Rounds a downloading peer keeps its slot before waiting peers go ahead of it.</summary>
    public const int TurnRounds = 3;

    private readonly Lock _lock = new();
    private readonly HashSet<IChokeablePeer> _interested = [];
    private readonly Dictionary<IChokeablePeer, long> _unchokedSince = [];
    private IChokeablePeer? _optimistic;
    private long _optimisticSince;

    public Choker(SeederOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Peers holding a regular slot (for tests).</summary>
    public IReadOnlyCollection<IChokeablePeer> Unchoked
    {
        get
        {
            lock (_lock)
            {
                return [.. _unchokedSince.Keys];
            }
        }
    }

    public IChokeablePeer? Optimistic => _optimistic;

    public void Interested(IChokeablePeer peer)
    {
        lock (_lock)
        {
            if (!_interested.Add(peer))
            {
                return;
            }

            if (_unchokedSince.Count < options.MaxUnchoked)
            {
                Unchoke(peer, time.GetTimestamp());
            }
            else if (_optimistic is null)
            {
                SetOptimistic(peer);
            }
        }
    }

    public void NotInterested(IChokeablePeer peer) => Remove(peer);

    public void Remove(IChokeablePeer peer)
    {
        lock (_lock)
        {
            _interested.Remove(peer);
            var freed = _unchokedSince.Remove(peer) | (_optimistic == peer);
            if (_optimistic == peer)
            {
                _optimistic = null;
            }

            peer.SetChoked(true);
            if (freed)
            {
                Fill();
            }
        }
    }

    /// <summary>Re-ranks the interested peers on what each did since the last round; optionally moves the optimistic slot.</summary>
    public void Rechoke(bool rotateOptimistic)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var ranked = Rank(now);
            var keep = ranked.Take(options.MaxUnchoked).ToHashSet();
            foreach (var peer in _unchokedSince.Keys.Where(p => !keep.Contains(p)).ToList())
            {
                _unchokedSince.Remove(peer);
                if (peer != _optimistic)
                {
                    peer.SetChoked(true);
                }
            }

            foreach (var peer in ranked.Take(options.MaxUnchoked))
            {
                if (!_unchokedSince.ContainsKey(peer))
                {
                    Unchoke(peer, peer == _optimistic ? _optimisticSince : now);
                }
            }

            if (_optimistic is not null && (rotateOptimistic || _unchokedSince.ContainsKey(_optimistic)))
            {
                if (!_unchokedSince.ContainsKey(_optimistic))
                {
                    _optimistic.SetChoked(true);
                }

                _optimistic = null;
            }

            Fill();
        }
    }

    /// <summary>Downloading peers within their turn (fastest first), waiting peers (random), downloading peers past
    /// their turn (fastest first), then peers that sat on a slot for a round without downloading (random).</summary>
    private List<IChokeablePeer> Rank(long now)
    {
        var round = options.ChokeInterval;
        var inTurn = new List<(IChokeablePeer Peer, long Bytes)>();
        var pastTurn = new List<(IChokeablePeer Peer, long Bytes)>();
        var waiting = new List<IChokeablePeer>();
        var idle = new List<IChokeablePeer>();
        foreach (var peer in _interested)
        {
            var bytes = peer.TakeRoundBytes();
            long? since = _unchokedSince.TryGetValue(peer, out var regular) ? regular : peer == _optimistic ? _optimisticSince : null;
            if (since is null)
            {
                waiting.Add(peer);
                continue;
            }

            var held = time.GetElapsedTime(since.Value, now);
            if (held < round / 2)
            {
                inTurn.Add((peer, bytes)); // unchoked just now: too early to judge
            }
            else if (bytes == 0)
            {
                idle.Add(peer);
            }
            else if (held < round * TurnRounds)
            {
                inTurn.Add((peer, bytes));
            }
            else
            {
                pastTurn.Add((peer, bytes));
            }
        }

        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(waiting));
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(idle));
        return
        [
            .. inTurn.OrderByDescending(p => p.Bytes).Select(p => p.Peer),
            .. waiting,
            .. pastTurn.OrderByDescending(p => p.Bytes).Select(p => p.Peer),
            .. idle,
        ];
    }

    private void Unchoke(IChokeablePeer peer, long since)
    {
        _unchokedSince[peer] = since;
        peer.SetChoked(false);
    }

    private void SetOptimistic(IChokeablePeer peer)
    {
        _optimistic = peer;
        _optimisticSince = time.GetTimestamp();
        peer.SetChoked(false);
    }

    /// <summary>Fills free regular slots, then the optimistic slot, from interested choked peers (at random).</summary>
    private void Fill()
    {
        var waiting = _interested.Where(p => !_unchokedSince.ContainsKey(p) && p != _optimistic).ToList();
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(waiting));
        var now = time.GetTimestamp();
        var next = 0;
        while (_unchokedSince.Count < options.MaxUnchoked && next < waiting.Count)
        {
            Unchoke(waiting[next++], now);
        }

        if (_optimistic is null && next < waiting.Count)
        {
            SetOptimistic(waiting[next]);
        }
    }
}
