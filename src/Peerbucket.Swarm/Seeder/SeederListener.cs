using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Changes;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// The seeder: accepts BitTorrent peers on the peer port and serves every public object's bytes (one
/// <see cref="PeerSession"/> per connection). Connection limits are enforced at accept; the choker runs on a timer;
/// when objects, ACLs or policies change every open swarm is looked up again and dropped if no longer served.
/// </summary>
public sealed class SeederListener : BackgroundService
{
    private readonly ServedTorrents _served;
    private readonly SeederOptions _options;
    private readonly SeederStats _stats;
    private readonly IPEndPoint _bind;
    private readonly ILogger<SeederListener> _logger;
    private readonly SeederContext _context;
    private readonly OpenCounts<IPAddress> _perAddress = new();
    private readonly OpenCounts<IPNetwork> _perSubnet = new();
    private int _evicting;
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly SemaphoreSlim _recheck = new(0);
    private readonly ConcurrentQueue<ObjectChange> _changes = new();
    private Socket? _socket;

    public SeederListener(ServedTorrents served, SwarmOrigins origins, BlobStore blobs, SeederOptions options, SeederStats stats, IPEndPoint bind,
        ILogger<SeederListener> logger)
    {
        _served = served;
        _options = options;
        _stats = stats;
        _bind = bind;
        _logger = logger;
        _context = new SeederContext
        {
            Served = served,
            Origins = origins,
            Blobs = blobs,
            Options = options,
            Stats = stats,
            Choker = new Choker(options),
            Throttle = new UploadThrottle(options.MaxUploadRate, options.MaxUploadRatePerObject),
            PeerId = NewPeerId(),
            Logger = logger,
        };
    }

    /// <summary>Where the listener is bound (with the actual port when asked for port 0), after start.</summary>
    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>Our peer id: <c>-PB0001-</c> and 12 random alphanumerics.</summary>
    public ReadOnlyMemory<byte> PeerId => _context.PeerId;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (_bind.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }

        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(_bind);
        socket.Listen(512);
        _socket = socket;
        _served.Changed += OnServedChanged;
        _logger.LogInformation("Seeder listening on {Endpoint}", socket.LocalEndPoint);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _served.Changed -= OnServedChanged;
        _socket?.Close();
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        _recheck.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var background = Task.WhenAll(ChokeLoopAsync(stoppingToken), RecheckLoopAsync(stoppingToken));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _socket!.AcceptAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    continue;
                }

                client.NoDelay = true;

                // Counted here, in accept order: counted in the session's own task, a third connection from an address
                // could be counted before the second and the second refused in its place.
                var address = TrackerService.Normalize(((IPEndPoint)client.RemoteEndPoint!).Address);
                var subnet = SubnetOf(address);
                var counts = (Address: _perAddress.Open(address), Subnet: _perSubnet.Open(subnet));
                Track(RunSessionAsync(client, address, subnet, counts, stoppingToken));
            }
        }
        finally
        {
            await background;
        }
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunSessionAsync(Socket client, IPAddress address, IPNetwork subnet, (int Address, int Subnet) counts,
        CancellationToken stoppingToken)
    {
        await Task.Yield();
        var session = new PeerSession(client, _context, stoppingToken);
        _stats.ConnectionOpened();
        try
        {
            DisconnectReason? refuse = counts.Address > _options.MaxPeersPerAddress ? DisconnectReason.TooManyConnectionsFromAddress
                : counts.Subnet > _options.MaxPeersPerSubnet ? DisconnectReason.TooManyConnectionsFromSubnet
                : !HasRoom() ? DisconnectReason.TooManyConnections
                : null;
            await session.RunAsync(refuse);
        }
        finally
        {
            _stats.ConnectionClosed();
            if (session.WasEvicted)
            {
                Interlocked.Decrement(ref _evicting);
            }

            _perAddress.Close(address);
            _perSubnet.Close(subnet);
        }
    }

    /// <summary>True when a new connection fits: under <see cref="SeederOptions.MaxPeers"/> (connections being evicted
    /// already made their room), or the least useful connection was evicted for it (<see cref="SlotEviction"/>).</summary>
    private bool HasRoom()
    {
        if (_stats.OpenConnections - Volatile.Read(ref _evicting) <= _options.MaxPeers)
        {
            return true;
        }

        Interlocked.Increment(ref _evicting);
        if (SlotEviction.TryEvictOne(_context.Sessions.Keys, _options.EvictableAfter))
        {
            return true;
        }

        Interlocked.Decrement(ref _evicting);
        return false;
    }

    /// <summary>The IPv4 /24 or IPv6 /48 an address belongs to (<see cref="SeederOptions.MaxPeersPerSubnet"/>).</summary>
    internal static IPNetwork SubnetOf(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? 24 : 48;
        Array.Clear(bytes, prefix / 8, bytes.Length - (prefix / 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    private async Task ChokeLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var lastRound = Stopwatch.GetTimestamp();
        var lastOptimistic = lastRound;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _context.Choker.Sweep();
                if (Stopwatch.GetElapsedTime(lastRound) < _options.ChokeInterval)
                {
                    continue;
                }

                lastRound = Stopwatch.GetTimestamp();
                var rotate = Stopwatch.GetElapsedTime(lastOptimistic) >= _options.OptimisticInterval;
                if (rotate)
                {
                    lastOptimistic = Stopwatch.GetTimestamp();
                }

                _context.Choker.Rechoke(rotate);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void OnServedChanged(ObjectChange change)
    {
        _changes.Enqueue(change);
        if (_recheck.CurrentCount == 0)
        {
            _recheck.Release();
        }
    }

    /// <summary>After changes: the registered sessions of the keys (or buckets) they name confirm their grants (one
    /// lookup per info-hash: the rest hit the served-set cache); sessions whose object is no longer the served one
    /// (deleted, overwritten, made private) are closed. Every session also confirms before each message and batch it
    /// answers, so this walk only makes closing prompt.</summary>
    private async Task RecheckLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            var changes = new List<ObjectChange>();
            while (true)
            {
                await _recheck.WaitAsync(stoppingToken);
                changes.Clear();
                while (_changes.TryDequeue(out var change))
                {
                    changes.Add(change);
                }

                foreach (var session in _context.Sessions.Keys)
                {
                    if (session.Served is { } served && changes.Exists(c => c.Concerns(served.Object.Bucket, served.Object.Key))
                        && !session.IsStillServed())
                    {
                        session.Close(DisconnectReason.NoLongerServed);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static byte[] NewPeerId()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var id = new char[12];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        }

        return Encoding.ASCII.GetBytes("-PB0001-" + new string(id));
    }
}
