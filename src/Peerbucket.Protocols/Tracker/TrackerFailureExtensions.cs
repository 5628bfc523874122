namespace Peerbucket.Protocols.Tracker;

/// <summary>Human text for a <see cref="TrackerFailure"/>: what goes into <c>failure reason</c> or a UDP error.</summary>
public static class TrackerFailureExtensions
{
    public static string Message(this TrackerFailure failure) => failure switch
    {
        TrackerFailure.None => "no failure",
        TrackerFailure.QueryTooLong => "query string too long",
        TrackerFailure.InvalidEncoding => "malformed percent-encoding in query string",
        TrackerFailure.MissingInfoHash => "missing info_hash",
        TrackerFailure.InvalidInfoHash => "invalid info_hash (must be 20 bytes)",
        TrackerFailure.DuplicateInfoHash => "more than one info_hash in announce",
        TrackerFailure.MissingPeerId => "missing peer_id",
        TrackerFailure.InvalidPeerId => "invalid peer_id (must be 20 bytes)",
        TrackerFailure.MissingPort => "missing port",
        TrackerFailure.InvalidPort => "invalid port (must be 1 to 65535)",
        TrackerFailure.InvalidNumber => "invalid number in uploaded, downloaded or numwant",
        TrackerFailure.InvalidKey => "invalid key (at most 64 bytes)",
        TrackerFailure.DuplicateParameter => "parameter given more than once",
        TrackerFailure.FullScrapeRefused => "full scrape is not supported; pass info_hash",
        TrackerFailure.TooManyInfoHashes => "too many info_hash values in scrape",
        TrackerFailure.WrongSize => "packet size does not match its action",
        TrackerFailure.UnknownAction => "unknown action",
        TrackerFailure.BadProtocolId => "bad protocol id",
        TrackerFailure.BadConnectionId => "connection id expired or invalid: connect again",
        TrackerFailure.UnknownTorrent => "unregistered torrent: this tracker only tracks public objects of this Peerbucket store",
        TrackerFailure.Denied => "access denied",
        _ => "invalid request",
    };
}
