namespace Peerbucket.Swarm.Seeder;

/// <summary>What the <see cref="Choker"/> needs of a peer connection.</summary>
internal interface IChokeablePeer
{
    /// <summary>Block bytes sent to the peer so far (monotonic).</summary>
    long BytesSent { get; }

    /// <summary>Block requests accepted from the peer so far (monotonic).</summary>
    long RequestsAccepted { get; }

    /// <summary>Choke or unchoke (the connection sends the message).</summary>
    void SetChoked(bool choked);
}
