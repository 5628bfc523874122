using System.Net;

namespace Peerbucket.Swarm.Tracker;

/// <summary>
/// Swarms in process memory, bounded so that one address cannot flush a swarm: at most
/// <see cref="MaxPeersPerAddress"/> peers of one address in a swarm (a new one replaces that address's oldest), at most
/// <see cref="MaxPeersPerSwarm"/> in a swarm (a newcomer replaces the newest peer that announced only once — the
/// unverified — or, when every peer has announced again, the oldest), and <see cref="MaxPeers"/> in all (new peers
/// beyond it get answers but are not remembered).
/// </summary>
public sealed class InMemorySwarmRegistry(int maxPeersPerSwarm = 2_000, int maxPeers = 500_000, int maxPeersPerAddress = 32) : ISwarmRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Swarm> _swarms = [];
    private int _peerCount;

    public int MaxPeersPerSwarm => maxPeersPerSwarm;

    public int MaxPeers => maxPeers;

    public int MaxPeersPerAddress => maxPeersPerAddress;

    public int PeerCount
    {
        get
        {
            lock (_lock)
            {
                return _peerCount;
            }
        }
    }

    public AnnounceResult Announce(PeerAnnounce announce, DateTimeOffset now)
    {
        var identity = Identity(announce);
        lock (_lock)
        {
            var hashKey = Convert.ToHexString(announce.InfoHash);
            if (!_swarms.TryGetValue(hashKey, out var swarm))
            {
                swarm = new Swarm(announce.InfoHash);
                _swarms[hashKey] = swarm;
            }

            var existing = swarm.Find(identity);
            if (announce.Event == SwarmEvent.Stopped)
            {
                // The last running totals count too: a peer that stops reports what it downloaded since before.
                var (stoppedAdded, _) = existing is null ? (0, false) : swarm.Update(existing, announce, now);
                if (swarm.Remove(identity, out _))
                {
                    _peerCount--;
                }

                return new AnnounceResult([], swarm.Stats(), stoppedAdded);
            }

            if (existing is null)
            {
                // Room is made within the swarm (its cap, or the address's own), so the total never grows past it.
                var makeRoom = swarm.CountAt(announce.Address) >= maxPeersPerAddress || swarm.Count >= maxPeersPerSwarm;
                if (_peerCount < maxPeers || makeRoom)
                {
                    if (makeRoom && swarm.MakeRoom(announce.Address, maxPeersPerAddress))
                    {
                        _peerCount--;
                    }

                    existing = new PeerEntry(identity, announce.PeerId) { Address = announce.Address, Port = announce.Port };
                    swarm.Add(existing);
                    _peerCount++;
                }
            }

            var (added, completed) = existing is null ? (0, false) : swarm.Update(existing, announce, now);
            var peers = swarm.Pick(announce.NumWant, identity, announce.Address, announce.Port);
            return new AnnounceResult(peers, swarm.Stats(), added, completed);
        }
    }

    public SwarmStats Scrape(ReadOnlySpan<byte> infoHash)
    {
        lock (_lock)
        {
            return _swarms.TryGetValue(Convert.ToHexString(infoHash), out var swarm) ? swarm.Stats() : default;
        }
    }

    public bool Lists(ReadOnlySpan<byte> infoHash, IPAddress address)
    {
        lock (_lock)
        {
            return _swarms.TryGetValue(Convert.ToHexString(infoHash), out var swarm) && swarm.CountAt(address) > 0;
        }
    }

    public void RetireWhere(Func<byte[], bool> retire)
    {
        lock (_lock)
        {
            foreach (var (key, swarm) in _swarms.ToList())
            {
                if (retire(swarm.InfoHash))
                {
                    _peerCount -= swarm.Count;
                    _swarms.Remove(key);
                }
            }
        }
    }

    public void Expire(DateTimeOffset cutoff)
    {
        lock (_lock)
        {
            foreach (var (key, swarm) in _swarms.ToList())
            {
                _peerCount -= swarm.Expire(cutoff);
                if (swarm.Count == 0 && swarm.CompletedCount == 0)
                {
                    _swarms.Remove(key);
                }
            }
        }
    }

    /// <summary>A peer is (peer id, address, port); with a `key` it is (peer id, key), so it may change address. The
    /// key is compared without case: a client announcing to the HTTP and the UDP tracker sends the same 32-bit key as
    /// upper-case hex in one (libtorrent's <c>&amp;key=%08X</c>) and as a number in the other (here lower-case hex), and
    /// is one peer, not two.</summary>
    private static string Identity(PeerAnnounce announce) => string.IsNullOrEmpty(announce.Key)
        ? $"{Convert.ToHexString(announce.PeerId)}|{announce.Address}|{announce.Port}"
        : $"{Convert.ToHexString(announce.PeerId)}|key|{announce.Key.ToLowerInvariant()}";

    private sealed class PeerEntry(string identity, byte[] peerId)
    {
        public string Identity { get; } = identity;
        public byte[] PeerId { get; } = peerId;
        public IPAddress Address { get; set; } = IPAddress.None;
        public int Port { get; set; }
        public bool Seeding { get; set; }
        public bool Completed { get; set; }
        public long Uploaded { get; set; }
        public long Downloaded { get; set; }
        public int Announces { get; set; }
        public DateTimeOffset LastSeen { get; set; }
        public int Index { get; set; }
        public LinkedListNode<PeerEntry>? AgeNode { get; set; }
    }

    private sealed class Swarm(byte[] infoHash)
    {
        private readonly Dictionary<string, PeerEntry> _byIdentity = [];
        private readonly List<PeerEntry> _peers = [];

        // Least recently announced first: the oldest peer and the expired ones are found without a scan.
        private readonly LinkedList<PeerEntry> _byAge = new();
        private readonly Dictionary<IPAddress, int> _perAddress = [];
        private int _seeders;
        private long _uploaded;
        private long _downloaded;

        public byte[] InfoHash { get; } = infoHash;

        public int Count => _peers.Count;

        public long CompletedCount { get; private set; }

        public PeerEntry? Find(string identity) => _byIdentity.GetValueOrDefault(identity);

        public int CountAt(IPAddress address) => _perAddress.GetValueOrDefault(address);

        public void Add(PeerEntry peer)
        {
            peer.Index = _peers.Count;
            _peers.Add(peer);
            _byIdentity[peer.Identity] = peer;
            peer.AgeNode = _byAge.AddLast(peer);
            Tally(peer.Address, +1);
        }

        /// <summary>Removes one peer to admit a newcomer from <paramref name="address"/>: that address's oldest when it
        /// is at its cap, else the newest peer that announced only once, else the oldest. False when nothing was
        /// there to remove.</summary>
        public bool MakeRoom(IPAddress address, int maxPerAddress)
        {
            PeerEntry? victim = null;
            if (CountAt(address) >= maxPerAddress)
            {
                for (var node = _byAge.First; node is not null && victim is null; node = node.Next)
                {
                    victim = node.Value.Address.Equals(address) ? node.Value : null;
                }
            }
            else
            {
                for (var node = _byAge.Last; node is not null && victim is null; node = node.Previous)
                {
                    victim = node.Value.Announces <= 1 ? node.Value : null;
                }

                victim ??= _byAge.First?.Value;
            }

            return victim is not null && Remove(victim.Identity, out _);
        }

        private void Tally(IPAddress address, int delta)
        {
            var count = _perAddress.GetValueOrDefault(address) + delta;
            if (count <= 0)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = count;
            }
        }

        public bool Remove(string identity, out PeerEntry? removed)
        {
            if (!_byIdentity.Remove(identity, out removed))
            {
                return false;
            }

            var last = _peers[^1];
            _peers[removed.Index] = last;
            last.Index = removed.Index;
            _peers.RemoveAt(_peers.Count - 1);
            _byAge.Remove(removed.AgeNode!);
            Tally(removed.Address, -1);
            if (removed.Seeding)
            {
                _seeders--;
            }

            return true;
        }

        public int Expire(DateTimeOffset cutoff)
        {
            var removed = 0;
            while (_byAge.First is { } oldest && oldest.Value.LastSeen < cutoff)
            {
                Remove(oldest.Value.Identity, out _);
                removed++;
            }

            return removed;
        }

        /// <summary>Records the announce; returns the bytes it reported downloading since the peer's previous one and
        /// whether it was the peer's first <c>completed</c>.</summary>
        public (long DownloadedAdded, bool CompletedNow) Update(PeerEntry peer, PeerAnnounce announce, DateTimeOffset now)
        {
            if (!peer.Address.Equals(announce.Address))
            {
                Tally(peer.Address, -1);
                Tally(announce.Address, +1);
                peer.Address = announce.Address;
            }

            peer.Port = announce.Port;
            peer.Announces++;
            peer.LastSeen = now;
            _byAge.Remove(peer.AgeNode!);
            _byAge.AddLast(peer.AgeNode!);
            var seeding = announce.Left == 0 || (announce.Left is null && (peer.Completed || announce.Event == SwarmEvent.Completed));
            _seeders += (seeding ? 1 : 0) - (peer.Seeding ? 1 : 0);
            peer.Seeding = seeding;
            var completedNow = announce.Event == SwarmEvent.Completed && !peer.Completed;
            if (completedNow)
            {
                peer.Completed = true;
                CompletedCount++;
            }

            // Peers report running totals; the swarm sums what each one added since its last announce.
            var downloaded = Math.Max(0, announce.Downloaded - peer.Downloaded);
            _uploaded += Math.Max(0, announce.Uploaded - peer.Uploaded);
            _downloaded += downloaded;
            peer.Uploaded = Math.Max(peer.Uploaded, announce.Uploaded);
            peer.Downloaded = Math.Max(peer.Downloaded, announce.Downloaded);
            return (downloaded, completedNow);
        }

        public List<SwarmPeer> Pick(int want, string self, IPAddress selfAddress, int selfPort)
        {
            var result = new List<SwarmPeer>(Math.Min(want, _peers.Count));
            if (want <= 0 || _peers.Count == 0)
            {
                return result;
            }

            var start = Random.Shared.Next(_peers.Count);
            for (var i = 0; i < _peers.Count && result.Count < want; i++)
            {
                var peer = _peers[(start + i) % _peers.Count];
                if (peer.Identity == self || (peer.Port == selfPort && peer.Address.Equals(selfAddress)))
                {
                    continue;
                }

                result.Add(new SwarmPeer(peer.Address, peer.Port, peer.PeerId));
            }

            return result;
        }

        public SwarmStats Stats() => new(_seeders, _peers.Count - _seeders, CompletedCount, _uploaded, _downloaded);
    }
}
