namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// Why a tracker request was refused. One enum for both transports: HTTP renders it as a bencoded
/// <c>failure reason</c> (status 200), UDP as an error packet (action 3). <see cref="TrackerFailureExtensions.Message"/>
/// gives the text.
/// </summary>
public enum TrackerFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The query string is longer than <see cref="AnnounceQueryParser.MaxQueryLength"/> (scrape: <see cref="ScrapeQueryParser.MaxQueryLength"/>).</summary>
    QueryTooLong,

    /// <summary>A malformed percent escape, or a character that is not a byte.</summary>
    InvalidEncoding,

    /// <summary>No <c>info_hash</c> parameter.</summary>
    MissingInfoHash,

    /// <summary>An <c>info_hash</c> that is not exactly 20 bytes after percent-decoding.</summary>
    InvalidInfoHash,

    /// <summary>More than one <c>info_hash</c> in an announce.</summary>
    DuplicateInfoHash,

    /// <summary>No <c>peer_id</c> parameter.</summary>
    MissingPeerId,

    /// <summary>A <c>peer_id</c> that is not exactly 20 bytes after percent-decoding.</summary>
    InvalidPeerId,

    /// <summary>No <c>port</c> parameter.</summary>
    MissingPort,

    /// <summary>A <c>port</c> outside 1..65535 or not a number.</summary>
    InvalidPort,

    /// <summary><c>uploaded</c>, <c>downloaded</c> or <c>numwant</c> is not a (non-negative where required) 64-bit integer.</summary>
    InvalidNumber,

    /// <summary>A <c>key</c> longer than <see cref="AnnounceQueryParser.MaxKeyLength"/> bytes.</summary>
    InvalidKey,

    /// <summary>A parameter that must appear once (<c>peer_id</c>, <c>port</c>, ...) appears more than once.</summary>
    DuplicateParameter,

    /// <summary>A scrape without any <c>info_hash</c> (the store refuses a full scrape).</summary>
    FullScrapeRefused,

    /// <summary>A scrape with more than <see cref="ScrapeQueryParser.MaxInfoHashes"/> info-hashes.</summary>
    TooManyInfoHashes,

    /// <summary>UDP: a packet whose size does not fit its action.</summary>
    WrongSize,

    /// <summary>UDP: an action other than connect, announce or scrape.</summary>
    UnknownAction,

    /// <summary>UDP: a connect request without the protocol id <c>0x41727101980</c>.</summary>
    BadProtocolId,

    /// <summary>UDP: the connection id is not one this tracker issued (decided by the caller).</summary>
    BadConnectionId,

    /// <summary>The torrent is not served by this tracker (decided by the caller).</summary>
    UnknownTorrent,

    /// <summary>The request is not allowed (decided by the caller, e.g. a private object).</summary>
    Denied,
}
