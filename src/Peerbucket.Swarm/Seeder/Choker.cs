using System.Runtime.InteropServices;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// Who may download, seeder-wide: up to <see cref="SeederOptions.UnchokeSlots"/> interested peers plus one optimistic
/// slot that moves every <see cref="SeederOptions.OptimisticInterval"/>, chosen as a seed should:
/// <list type="bullet">
/// <item>A peer unchoked that asks for nothing within <see cref="SeederOptions.UnchokeGrace"/>, or that takes none of
/// the bytes handed to it for <see cref="SeederOptions.StallGrace"/>, is choked again and marked idle
/// (<see cref="Sweep"/>): an idle peer goes behind every other waiting peer until it does download, so connections
/// that only sit on slots — asking for nothing, or asking and not reading — cannot starve the rest.</item>
/// <item>Every <see cref="SeederOptions.ChokeInterval"/> (<see cref="Rechoke"/>) downloading peers keep their slot, fastest
/// first (by the bytes they took, <see cref="IChokeablePeer.BytesDrained"/>), for a turn of <see cref="TurnRounds"/> rounds; then waiting peers go ahead of them (round robin, random
/// order), so no fast peer keeps a slot forever.</item>
/// <item>A slot freed by a leaving, uninterested or idle peer is refilled at once.</item>
/// <item>Regular slots go to peers the tracker lists (<see cref="IChokeablePeer.Listed"/>) before peers that only
/// dialled the seeder, whatever their turn: what a listed peer takes the swarm can fetch from it, so every byte it is
/// sent can save the origin more. The optimistic slot is drawn from every waiting peer, so the others are still
/// served, and take regular slots that no listed peer wants.</item>
/// </list>
/// </summary>
internal sealed class Choker(SeederOptions options, TimeProvider time)
{
    /// <summary>Rounds a downloading peer keeps its slot before waiting peers go ahead of it.</summary>
    public const int TurnRounds = 3;

    private readonly Lock _lock = new();
    private readonly HashSet<IChokeablePeer> _interested = [];
    private readonly Dictionary<IChokeablePeer, Slot> _unchoked = [];
    private readonly HashSet<IChokeablePeer> _idle = [];
    private IChokeablePeer? _optimistic;
    private Slot? _optimisticSlot;

    public Choker(SeederOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Peers holding a regular slot.</summary>
    public IReadOnlyCollection<IChokeablePeer> Unchoked
    {
        get
        {
            lock (_lock)
            {
                return [.. _unchoked.Keys];
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

            if (_unchoked.Count < options.UnchokeSlots)
            {
                Unchoke(peer, NewSlot(peer));
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
            _idle.Remove(peer);
            var freed = _unchoked.Remove(peer) | (_optimistic == peer);
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

    /// <summary>Chokes unchoked peers (regular or optimistic) that asked for nothing within the grace period (marked
    /// idle) or stalled (<see cref="IsStalled"/>; they go behind the others while their bytes wait, see
    /// <see cref="Untried"/>), and gives their slots to waiting peers. Run every second or so.</summary>
    public void Sweep()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var freed = false;
            foreach (var (peer, slot) in _unchoked.ToList())
            {
                if (IsIdle(peer, slot, now) || IsStalled(peer, slot, now))
                {
                    _unchoked.Remove(peer);
                    MarkIfIdle(peer, slot, now);
                    peer.SetChoked(true);
                    freed = true;
                }
            }

            if (_optimistic is not null && (IsIdle(_optimistic, _optimisticSlot!, now) || IsStalled(_optimistic, _optimisticSlot!, now)))
            {
                MarkIfIdle(_optimistic, _optimisticSlot!, now);
                _optimistic.SetChoked(true);
                _optimistic = null;
                freed = true;
            }

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
            var ranked = Rank(time.GetTimestamp());
            var keep = ranked.Take(options.UnchokeSlots).ToHashSet();
            foreach (var peer in _unchoked.Keys.Where(p => !keep.Contains(p)).ToList())
            {
                _unchoked.Remove(peer);
                if (peer != _optimistic)
                {
                    peer.SetChoked(true);
                }
            }

            foreach (var peer in keep)
            {
                if (!_unchoked.ContainsKey(peer))
                {
                    Unchoke(peer, peer == _optimistic ? _optimisticSlot! : NewSlot(peer));
                }
            }

            if (_optimistic is not null && (rotateOptimistic || _unchoked.ContainsKey(_optimistic)))
            {
                if (!_unchoked.ContainsKey(_optimistic))
                {
                    _optimistic.SetChoked(true);
                }

                _optimistic = null;
            }

            foreach (var slot in _unchoked.Values)
            {
                slot.BytesAtRound = slot.Peer.BytesDrained;
            }

            Fill();
        }
    }

    private bool IsIdle(IChokeablePeer peer, Slot slot, long now) =>
        peer.RequestsAccepted == slot.RequestsAtUnchoke && time.GetElapsedTime(slot.Since, now) >= options.UnchokeGrace;

    private void MarkIfIdle(IChokeablePeer peer, Slot slot, long now)
    {
        if (IsIdle(peer, slot, now))
        {
            _idle.Add(peer);
        }
    }

    /// <summary>Peers that have taken every byte handed to them first (in their order), then those whose bytes still
    /// wait: a peer that asks and does not read is tried once, then stays behind every peer that reads until it has
    /// taken what it was sent — and a reader whose stall was only a pause drains its bytes and is back in front.</summary>
    private static IEnumerable<IChokeablePeer> Untried(IEnumerable<IChokeablePeer> peers)
    {
        var waiting = peers.Select(p => (Peer: p, Waits: p.Untaken > 0)).ToList();
        return waiting.Where(p => !p.Waits).Concat(waiting.Where(p => p.Waits)).Select(p => p.Peer);
    }

    /// <summary>Bytes handed to the peer wait (<see cref="IChokeablePeer.Untaken"/>) and it took none for
    /// <see cref="SeederOptions.StallGrace"/> (its progress is sampled at each look).</summary>
    private bool IsStalled(IChokeablePeer peer, Slot slot, long now)
    {
        var drained = peer.BytesDrained;
        if (drained != slot.DrainedSeen)
        {
            slot.DrainedSeen = drained;
            slot.DrainedAt = now;
            return false;
        }

        return peer.Untaken > 0 && time.GetElapsedTime(slot.DrainedAt, now) >= options.StallGrace;
    }

    /// <summary>Listed peers (<see cref="IChokeablePeer.Listed"/>), then unlisted ones, each: downloading peers within
    /// their turn (fastest first), waiting peers (random), downloading peers past their turn (fastest first); then idle
    /// peers (random).</summary>
    private List<IChokeablePeer> Rank(long now)
    {
        var inTurn = new List<(IChokeablePeer Peer, long Bytes)>();
        var pastTurn = new List<(IChokeablePeer Peer, long Bytes)>();
        var waiting = new List<IChokeablePeer>();
        var idle = new List<IChokeablePeer>();
        foreach (var peer in _interested)
        {
            var slot = _unchoked.GetValueOrDefault(peer) ?? (peer == _optimistic ? _optimisticSlot : null);
            if (slot is null)
            {
                (_idle.Contains(peer) ? idle : waiting).Add(peer);
                continue;
            }

            var bytes = peer.BytesDrained - slot.BytesAtRound;
            if (peer.RequestsAccepted != slot.RequestsAtUnchoke)
            {
                _idle.Remove(peer);
            }

            var held = time.GetElapsedTime(slot.Since, now);
            if (IsIdle(peer, slot, now) || (bytes == 0 && held >= options.ChokeInterval / 2))
            {
                idle.Add(peer); // asked for nothing, or got nothing this round: last, but not marked
            }
            else if (held < options.ChokeInterval * TurnRounds)
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
        IEnumerable<IChokeablePeer> Ranked(bool listed) =>
        [
            .. inTurn.Where(p => p.Peer.Listed == listed).OrderByDescending(p => p.Bytes).Select(p => p.Peer),
            .. Untried(waiting.Where(p => p.Listed == listed)),
            .. pastTurn.Where(p => p.Peer.Listed == listed).OrderByDescending(p => p.Bytes).Select(p => p.Peer),
        ];

        return [.. Ranked(listed: true), .. Ranked(listed: false), .. Untried(idle)];
    }

    private Slot NewSlot(IChokeablePeer peer) => new(peer, time.GetTimestamp(), peer.RequestsAccepted, peer.BytesDrained);

    private void Unchoke(IChokeablePeer peer, Slot slot)
    {
        _unchoked[peer] = slot;
        peer.SetChoked(false);
    }

    private void SetOptimistic(IChokeablePeer peer)
    {
        _optimistic = peer;
        _optimisticSlot = NewSlot(peer);
        peer.SetChoked(false);
    }

    /// <summary>Fills free regular slots from choked interested peers not marked idle, listed ones first, at random,
    /// those whose bytes still wait last (<see cref="Untried"/>); then the optimistic slot from the rest, listed or not.
    /// Idle ones get another chance only at the next round, so a swept peer is not unchoked straight back.</summary>
    private void Fill()
    {
        var candidates = _interested.Where(p => !_unchoked.ContainsKey(p) && p != _optimistic && !_idle.Contains(p)).ToList();
        Random.Shared.Shuffle(CollectionsMarshal.AsSpan(candidates));
        var waiting = Untried(candidates.Where(p => p.Listed)).Concat(Untried(candidates.Where(p => !p.Listed))).ToList();
        var next = 0;
        while (_unchoked.Count < options.UnchokeSlots && next < waiting.Count)
        {
            var peer = waiting[next++];
            Unchoke(peer, NewSlot(peer));
        }

        if (_optimistic is null && next < waiting.Count)
        {
            var rest = waiting.Skip(next).ToList();
            Random.Shared.Shuffle(CollectionsMarshal.AsSpan(rest));
            SetOptimistic(Untried(rest).First());
        }
    }

    /// <summary>When a peer got its slot, its counters then and at the start of the round, and when its drained bytes
    /// last moved.</summary>
    private sealed class Slot(IChokeablePeer peer, long since, long requestsAtUnchoke, long bytesAtRound)
    {
        public long DrainedSeen { get; set; } = bytesAtRound;

        public long DrainedAt { get; set; } = since;

        public IChokeablePeer Peer => peer;

        public long Since { get; } = since;

        public long RequestsAtUnchoke => requestsAtUnchoke;

        public long BytesAtRound { get; set; } = bytesAtRound;
    }
}
