namespace Peerbucket.Swarm.Seeder;

/// <summary>What the seeder must know of particular BitTorrent clients, told apart by the peer id they send (BEP 20
/// style prefixes).</summary>
internal static class PeerClients
{
    /// <summary>
    /// False for clients that strict super-seeding (BEP 16) would cut off: aria2 (peer id <c>A2-</c>) drops a connection
    /// on which neither side has been interested for 30 s (<c>DefaultBtInteractive::checkActiveInteraction</c>), which a
    /// super-seeded aria2 waiting for its next offer is, and dials the seeder again only at its next announce. Such a
    /// client is told HaveAll and held back instead (it stays interested, and the origin's 20 s rules serve it before
    /// aria2's 60 s inactivity limit).
    /// </summary>
    public static bool ToleratesSuperSeeding(ReadOnlySpan<byte> peerId) => !peerId.StartsWith("A2-"u8);
}
