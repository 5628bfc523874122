using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Seeder;

/// <summary>Why a session ends: its <see cref="DisconnectReason"/> and, when a parser rejected the peer's bytes, the
/// parser's typed <see cref="PeerWireError"/> behind it. Recorded once per session, logged and counted at its close.</summary>
internal readonly record struct Disconnect(DisconnectReason Reason, PeerWireError WireError = PeerWireError.None)
{
    /// <summary>A reason with no parser error behind it (a timeout, a refusal, a seed meeting a seed, ...).</summary>
    public static implicit operator Disconnect(DisconnectReason reason) => new(reason);

    /// <summary>The end of a session whose peer sent bytes a parser rejected with <paramref name="error"/>.</summary>
    public static Disconnect Rejected(PeerWireError error) => new(error switch
    {
        PeerWireError.InvalidProtocol => DisconnectReason.InvalidHandshake,
        PeerWireError.MessageTooLong => DisconnectReason.MessageTooLong,
        PeerWireError.RequestTooLong => DisconnectReason.RequestTooLong,
        _ => DisconnectReason.MalformedMessage,
    }, error);
}
