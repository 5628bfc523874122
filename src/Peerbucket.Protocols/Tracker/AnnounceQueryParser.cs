using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// Parses an HTTP announce from the raw query string (BEP 3, 7, 23): <c>info_hash</c> and <c>peer_id</c> are
/// 20 raw bytes, percent-decoded here without any text decoding. <c>left</c> never fails (missing, negative or out of
/// range is "unknown"); unknown <c>event</c> values read as none; unknown parameters are ignored.
/// </summary>
public static class AnnounceQueryParser
{
    /// <summary>Longest accepted query string, in chars.</summary>
    public const int MaxQueryLength = 4096;

    /// <summary>Longest accepted <c>key</c>, in bytes after percent-decoding.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>Longest accepted <c>ip</c>, in bytes after percent-decoding (a host name may be given).</summary>
    public const int MaxIpLength = 255;

    public static bool TryParse(string rawQuery, [NotNullWhen(true)] out AnnounceRequest? request, out TrackerFailure failure)
        => TryParse(rawQuery.AsSpan(), out request, out failure);

    public static bool TryParse(ReadOnlySpan<char> rawQuery, [NotNullWhen(true)] out AnnounceRequest? request, out TrackerFailure failure)
    {
        request = null;
        failure = Parse(rawQuery, out var result);
        if (failure != TrackerFailure.None)
        {
            return false;
        }

        request = result!;
        return true;
    }

    private static TrackerFailure Parse(ReadOnlySpan<char> rawQuery, out AnnounceRequest? request)
    {
        request = null;
        if (rawQuery.Length > MaxQueryLength)
        {
            return TrackerFailure.QueryTooLong;
        }

        byte[]? infoHash = null, peerId = null;
        int? port = null;
        long? uploaded = null, downloaded = null, left = null;
        var leftSeen = false;
        var numWantSeen = false;
        var numWant = AnnounceRequest.DefaultNumWant;
        var announceEvent = AnnounceEvent.None;
        bool compact = true, noPeerId = false;
        string? key = null, ip = null;
        Span<byte> buffer = stackalloc byte[MaxIpLength];

        var reader = new QueryStringReader(rawQuery);
        while (reader.TryNext(out var name, out var value))
        {
            switch (name)
            {
                case "info_hash":
                    if (infoHash is not null)
                    {
                        return TrackerFailure.DuplicateInfoHash;
                    }

                    infoHash = DecodeId(value, buffer);
                    if (infoHash is null)
                    {
                        return TrackerFailure.InvalidInfoHash;
                    }

                    break;
                case "peer_id":
                    if (peerId is not null)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    peerId = DecodeId(value, buffer);
                    if (peerId is null)
                    {
                        return TrackerFailure.InvalidPeerId;
                    }

                    break;
                case "port":
                    if (port is not null)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    if (!QueryStringReader.TryParseInt64(value, out var p) || p is < 1 or > 65535)
                    {
                        return TrackerFailure.InvalidPort;
                    }

                    port = (int)p;
                    break;
                case "uploaded":
                    if (!TryParseCounter(value, ref uploaded, out var uploadedFailure))
                    {
                        return uploadedFailure;
                    }

                    break;
                case "downloaded":
                    if (!TryParseCounter(value, ref downloaded, out var downloadedFailure))
                    {
                        return downloadedFailure;
                    }

                    break;
                case "left":
                    if (leftSeen)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    leftSeen = true;
                    left = QueryStringReader.TryParseInt64(value, out var l) && l >= 0 ? l : null;
                    break;
                case "event":
                    announceEvent = ParseEvent(value);
                    break;
                case "compact":
                    compact = value is not "0";
                    break;
                case "no_peer_id":
                    noPeerId = value is not "0";
                    break;
                case "numwant":
                    if (numWantSeen)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    numWantSeen = true;
                    if (!TryParseSaturatedInt32(value, out numWant))
                    {
                        return TrackerFailure.InvalidNumber;
                    }

                    break;
                case "key":
                    if (key is not null)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    if (!QueryStringReader.TryDecode(value, buffer[..MaxKeyLength], out var keyLength))
                    {
                        return TrackerFailure.InvalidKey;
                    }

                    key = Encoding.Latin1.GetString(buffer[..keyLength]);
                    break;
                case "ip":
                    if (ip is not null)
                    {
                        return TrackerFailure.DuplicateParameter;
                    }

                    if (!QueryStringReader.TryDecode(value, buffer, out var ipLength))
                    {
                        return TrackerFailure.InvalidEncoding;
                    }

                    ip = Encoding.Latin1.GetString(buffer[..ipLength]);
                    break;
                default:
                    break;
            }
        }

        if (infoHash is null)
        {
            return TrackerFailure.MissingInfoHash;
        }

        if (peerId is null)
        {
            return TrackerFailure.MissingPeerId;
        }

        if (port is null)
        {
            return TrackerFailure.MissingPort;
        }

        request = new AnnounceRequest
        {
            InfoHash = infoHash,
            PeerId = peerId,
            Port = port.Value,
            Uploaded = uploaded ?? 0,
            Downloaded = downloaded ?? 0,
            Left = left,
            Event = announceEvent,
            Compact = compact,
            NoPeerId = noPeerId,
            NumWant = numWant,
            Key = key,
            Ip = ip,
        };
        return TrackerFailure.None;
    }

    /// <summary>Decodes a 20-byte binary parameter, or null when malformed or of another length.</summary>
    internal static byte[]? DecodeId(ReadOnlySpan<char> value, Span<byte> buffer)
        => QueryStringReader.TryDecode(value, buffer[..21], out var length) && length == 20
            ? buffer[..20].ToArray()
            : null;

    internal static AnnounceEvent ParseEvent(ReadOnlySpan<char> value) => value switch
    {
        "started" => AnnounceEvent.Started,
        "completed" => AnnounceEvent.Completed,
        "stopped" => AnnounceEvent.Stopped,
        "paused" => AnnounceEvent.Paused,
        _ => AnnounceEvent.None,
    };

    private static bool TryParseCounter(ReadOnlySpan<char> value, ref long? target, out TrackerFailure failure)
    {
        if (target is not null)
        {
            failure = TrackerFailure.DuplicateParameter;
            return false;
        }

        if (!QueryStringReader.TryParseInt64(value, out var parsed) || parsed < 0)
        {
            failure = TrackerFailure.InvalidNumber;
            return false;
        }

        target = parsed;
        failure = TrackerFailure.None;
        return true;
    }

    private static bool TryParseSaturatedInt32(ReadOnlySpan<char> value, out int result)
    {
        result = 0;
        var negative = !value.IsEmpty && value[0] == '-';
        var digits = negative ? value[1..] : value;
        if (digits.IsEmpty)
        {
            return false;
        }

        long accumulator = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            accumulator = Math.Min((accumulator * 10) + (c - '0'), (long)int.MaxValue + 1);
        }

        result = (int)Math.Clamp(negative ? -accumulator : accumulator, int.MinValue, int.MaxValue);
        return true;
    }
}
