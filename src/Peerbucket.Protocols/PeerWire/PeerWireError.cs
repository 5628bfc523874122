namespace Peerbucket.Protocols.PeerWire;

/// <summary>Why peer wire input was rejected. The session maps these to its disconnect reason (or a hash reject).</summary>
public enum PeerWireError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Handshake: the first byte is not 19 or the protocol string is not <c>BitTorrent protocol</c>.</summary>
    InvalidProtocol,

    /// <summary>A length prefix above the cap for the message (checked before buffering the body).</summary>
    MessageTooLong,

    /// <summary>A message whose length does not match its id (e.g. a 14-byte request, a 2-byte choke).</summary>
    WrongLength,

    /// <summary>A bitfield that is not exactly ceil(pieces / 8) bytes.</summary>
    BitfieldWrongLength,

    /// <summary>A bitfield with a spare bit (past the last piece) set.</summary>
    BitfieldSpareBits,

    /// <summary>A request for more than 16 KiB, or for zero bytes.</summary>
    RequestTooLong,

    /// <summary>A piece index, offset or length that does not fit a non-negative 32-bit integer.</summary>
    InvalidField,

    /// <summary>An extension payload that is not one valid bencoded dictionary (plus trailing data where allowed).</summary>
    InvalidBencode,

    /// <summary>A known key of an extension dictionary with the wrong type or an out-of-range value.</summary>
    WrongType,

    /// <summary>ut_metadata: a missing or unknown <c>msg_type</c>, missing <c>piece</c>, or data without <c>total_size</c>.</summary>
    InvalidMetadataMessage,

    /// <summary>Hash request: the base layer is not the piece layer this peer serves.</summary>
    HashRequestUnsupportedLayer,

    /// <summary>Hash request: length is not a power of two of at least 2 (and at most 8192) or larger than the layer.</summary>
    HashRequestInvalidLength,

    /// <summary>Hash request: index is not a multiple of length or runs past the layer.</summary>
    HashRequestInvalidIndex,

    /// <summary>Hash request: more proof layers than the tree has above the base layer.</summary>
    HashRequestInvalidProofLayers,
}
