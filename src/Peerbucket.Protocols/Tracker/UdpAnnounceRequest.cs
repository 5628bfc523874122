using System.Globalization;
using System.Net;

namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// BEP 15 announce request (98 bytes; extension bytes after that are ignored). <see cref="Left"/> is as sent
/// (signed); <see cref="Ip"/> 0 means "the packet's source address"; <see cref="NumWant"/> -1 means the default.
/// </summary>
public sealed record UdpAnnounceRequest(
    ulong ConnectionId,
    int TransactionId,
    byte[] InfoHash,
    byte[] PeerId,
    long Downloaded,
    long Left,
    long Uploaded,
    AnnounceEvent Event,
    uint Ip,
    uint Key,
    int NumWant,
    ushort Port)
    : UdpTrackerRequest(TransactionId)
{
    public override UdpTrackerAction Action => UdpTrackerAction.Announce;

    /// <summary>
    /// The same announce in the HTTP vocabulary, so one service path handles both: negative <c>left</c> becomes
    /// unknown, <c>num_want</c> -1 becomes the default, <c>key</c> becomes 8 hex digits, a non-zero <c>ip</c> a dotted
    /// quad; compact is implied. Port 0 stays 0 (the caller refuses it).
    /// </summary>
    public AnnounceRequest ToAnnounceRequest() => new()
    {
        InfoHash = InfoHash,
        PeerId = PeerId,
        Port = Port,
        Uploaded = Uploaded < 0 ? 0 : Uploaded,
        Downloaded = Downloaded < 0 ? 0 : Downloaded,
        Left = Left < 0 ? null : Left,
        Event = Event,
        Compact = true,
        NumWant = NumWant == -1 ? AnnounceRequest.DefaultNumWant : NumWant,
        Key = Key.ToString("x8", CultureInfo.InvariantCulture),
        Ip = Ip == 0 ? null : new IPAddress([(byte)(Ip >> 24), (byte)(Ip >> 16), (byte)(Ip >> 8), (byte)Ip]).ToString(),
    };
}
