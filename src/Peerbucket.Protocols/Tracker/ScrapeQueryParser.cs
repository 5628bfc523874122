using System.Diagnostics.CodeAnalysis;

namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// Parses an HTTP scrape query (BEP 48): one or more <c>info_hash</c> values of 20 raw bytes each, at most
/// <see cref="MaxInfoHashes"/>. No hash at all is a full scrape, which the store refuses. Repeated hashes are
/// kept once, in first-seen order; other parameters are ignored.
/// </summary>
public static class ScrapeQueryParser
{
    /// <summary>Most info-hashes in one scrape (what fits a UDP scrape, BEP 15).</summary>
    public const int MaxInfoHashes = 74;

    /// <summary>Longest accepted query string, in chars (74 fully escaped hashes fit).</summary>
    public const int MaxQueryLength = 8192;

    public static bool TryParse(string rawQuery, [NotNullWhen(true)] out IReadOnlyList<byte[]>? infoHashes, out TrackerFailure failure)
        => TryParse(rawQuery.AsSpan(), out infoHashes, out failure);

    public static bool TryParse(ReadOnlySpan<char> rawQuery, [NotNullWhen(true)] out IReadOnlyList<byte[]>? infoHashes, out TrackerFailure failure)
    {
        infoHashes = null;
        if (rawQuery.Length > MaxQueryLength)
        {
            failure = TrackerFailure.QueryTooLong;
            return false;
        }

        var hashes = new List<byte[]>();
        Span<byte> buffer = stackalloc byte[21];
        var reader = new QueryStringReader(rawQuery);
        while (reader.TryNext(out var name, out var value))
        {
            if (name is not "info_hash")
            {
                continue;
            }

            var hash = AnnounceQueryParser.DecodeId(value, buffer);
            if (hash is null)
            {
                failure = TrackerFailure.InvalidInfoHash;
                return false;
            }

            if (hashes.Exists(h => h.AsSpan().SequenceEqual(hash)))
            {
                continue;
            }

            if (hashes.Count == MaxInfoHashes)
            {
                failure = TrackerFailure.TooManyInfoHashes;
                return false;
            }

            hashes.Add(hash);
        }

        if (hashes.Count == 0)
        {
            failure = TrackerFailure.FullScrapeRefused;
            return false;
        }

        infoHashes = hashes;
        failure = TrackerFailure.None;
        return true;
    }
}
