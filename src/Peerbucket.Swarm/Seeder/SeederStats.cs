using Peerbucket.Protocols.PeerWire;
using Peerbucket.Storage.Accounting;

namespace Peerbucket.Swarm.Seeder;

/// <summary>What the seeder did: block bytes sent (per object and in total, kept by the shared <see cref="EgressMeter"/>),
/// open connections, and closed connections by <see cref="DisconnectReason"/> and, for bytes a parser rejected, by
/// <see cref="PeerWireError"/>.</summary>
public sealed class SeederStats(EgressMeter egress)
{
    private readonly long[] _closed = new long[Enum.GetValues<DisconnectReason>().Length];
    private readonly long[] _rejected = new long[Enum.GetValues<PeerWireError>().Length];
    private int _openConnections;

    public SeederStats()
        : this(new EgressMeter())
    {
    }

    public EgressMeter Egress => egress;

    public int OpenConnections => Volatile.Read(ref _openConnections);

    public void AddBytesSent(string bucket, string key, int bytes) => egress.Add(bucket, key, EgressPath.Seeder, bytes);

    public long BytesSentFor(string bucket, string key) => egress.For(bucket, key, EgressPath.Seeder);

    /// <summary>Connections closed for <paramref name="reason"/> since start.</summary>
    public long ClosedFor(DisconnectReason reason) => Interlocked.Read(ref _closed[(int)reason]);

    /// <summary>Connections closed since start because a parser rejected the peer's bytes with <paramref name="error"/>
    /// (each also counted under its reason: InvalidHandshake, MessageTooLong, RequestTooLong or MalformedMessage).</summary>
    public long ClosedFor(PeerWireError error) => Interlocked.Read(ref _rejected[(int)error]);

    internal void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    internal void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    internal void Closed(Disconnect disconnect)
    {
        Interlocked.Increment(ref _closed[(int)disconnect.Reason]);
        if (disconnect.WireError != PeerWireError.None)
        {
            Interlocked.Increment(ref _rejected[(int)disconnect.WireError]);
        }
    }
}
