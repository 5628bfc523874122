namespace Peerbucket.Swarm.Seeder;

/// <summary>What the <see cref="Choker"/> needs of a peer connection.</summary>
internal interface IChokeablePeer
{
    /// <summary>Bytes the peer has taken so far (monotonic): what its TCP stack acknowledged where the platform tells
    /// (<see cref="Peerbucket.Storage.Blobs.TcpProgress"/>), else the block bytes handed to the socket. Bytes sitting in
    /// the kernel's send buffer are not taken: a peer that reads nothing must not rank as a fast one.</summary>
    long BytesDrained { get; }

    /// <summary>Block requests accepted from the peer so far (monotonic).</summary>
    long RequestsAccepted { get; }

    /// <summary>Bytes handed to the connection that the peer has not taken yet (written, not acknowledged; where the
    /// platform does not tell, 1 while a write waits for room in the socket, else 0). A peer that asks and does not
    /// read has them, and they never shrink.</summary>
    long Untaken { get; }

    /// <summary>The tracker lists the peer (it announced before it connected): the swarm can find it, so what it takes
    /// it can pass on. A peer that only dialled the seeder consumes what it is sent.</summary>
    bool Listed { get; }

    /// <summary>Choke or unchoke (the connection sends the message).</summary>
    void SetChoked(bool choked);
}
