using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Protocols.Tests.Tracker;

public class ScrapeQueryParserTests
{
    private static string Escaped(int seed) => string.Concat(Enumerable.Range(0, 20).Select(i => $"%{(byte)(seed + i):x2}"));

    [Fact]
    public void SeveralHashesParseInOrder()
    {
        Assert.True(ScrapeQueryParser.TryParse($"info_hash={Escaped(0)}&info_hash=aaaaaaaaaaaaaaaaaaaa", out var hashes, out _));
        Assert.Equal(2, hashes.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), hashes[0]);
        Assert.Equal(Enumerable.Repeat((byte)'a', 20), hashes[1]);
    }

    [Fact]
    public void RepeatedHashIsKeptOnce()
    {
        Assert.True(ScrapeQueryParser.TryParse($"info_hash={Escaped(1)}&info_hash={Escaped(1).ToUpperInvariant()}", out var hashes, out _));
        Assert.Single(hashes);
    }

    [Fact]
    public void SeventyFourHashesAreAcceptedAndSeventyFiveRefused()
    {
        var many = string.Join('&', Enumerable.Range(0, 75).Select(i => $"info_hash={Escaped(i)}"));
        Assert.False(ScrapeQueryParser.TryParse(many, out _, out var failure));
        Assert.Equal(TrackerFailure.TooManyInfoHashes, failure);

        var limit = string.Join('&', Enumerable.Range(0, 74).Select(i => $"info_hash={Escaped(i)}"));
        Assert.True(ScrapeQueryParser.TryParse(limit, out var hashes, out _));
        Assert.Equal(74, hashes.Count);
    }

    [Theory]
    [InlineData("", TrackerFailure.FullScrapeRefused)]
    [InlineData("peer_id=x", TrackerFailure.FullScrapeRefused)]
    [InlineData("info_hash=aaaaaaaaaaaaaaaaaaa", TrackerFailure.InvalidInfoHash)]
    [InlineData("info_hash=aaaaaaaaaaaaaaaaaaaaa", TrackerFailure.InvalidInfoHash)]
    [InlineData("info_hash=aaaaaaaaaaaaaaaaaaa%", TrackerFailure.InvalidInfoHash)]
    public void MalformedScrapesFailWithATypedReason(string query, TrackerFailure expected)
    {
        Assert.False(ScrapeQueryParser.TryParse(query, out var hashes, out var failure));
        Assert.Null(hashes);
        Assert.Equal(expected, failure);
    }
}
