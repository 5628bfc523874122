namespace Peerbucket.Protocols.PeerWire;

/// <summary>Outcome of <see cref="PeerMessageReader.TryRead"/>.</summary>
public enum PeerReadStatus
{
    /// <summary>A complete message with a known id; its length fits the id.</summary>
    Message,

    /// <summary>A keep-alive (length 0).</summary>
    KeepAlive,

    /// <summary>A complete message with an unknown id: BEP 3 says ignore it (consume and go on), or the caller closes.</summary>
    Unknown,

    /// <summary>The buffer holds only part of a message; nothing is consumed.</summary>
    NeedMoreData,

    /// <summary>The input breaks the protocol (see the error); close the connection.</summary>
    Invalid,
}
