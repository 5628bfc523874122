namespace Peerbucket.Swarm.Seeder;

/// <summary>What the <see cref="Choker"/> needs of a peer connection.</summary>
internal interface IChokeablePeer
{
    /// <summary>Choke or unchoke (the connection sends the message).</summary>
    void SetChoked(bool choked);

    /// <summary>Block bytes sent since the last call.</summary>
    long TakeRoundBytes();
}
