using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Protocols.Tests.Tracker;

public class AnnounceQueryParserTests
{
    // 3c 1f a2 b4 ff 00 'A' '~' '-' '_' '.' '~' 'Z' '0'..'6'
    private static readonly byte[] Hash = Convert.FromHexString("3c1fa2b4ff00417e2d5f2e7e5a30313233343536");

    private const string LibtorrentHash = "%3c%1f%a2%b4%ff%00A~-_.~Z0123456";
    private const string Aria2Hash = "%3C%1F%A2%B4%FF%00%41%7E%2D%5F%2E%7E%5A%30%31%32%33%34%35%36";
    private const string PeerId = "-LT2000-ab%2Bcd%20fghi%C3%A9";

    private static readonly byte[] PeerIdBytes = [.. "-LT2000-ab+cd fghi"u8, 0xC3, 0xA9];

    [Fact]
    public void LibtorrentLowerCaseEscapesWithRawUnreservedBytesDecodeToTheExactHash()
    {
        var query = $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&uploaded=0&downloaded=0&left=1234"
            + "&corrupt=0&key=4F2A1B3C&event=started&numwant=200&compact=1&no_peer_id=1&supportcrypto=1&redundant=0";

        Assert.True(AnnounceQueryParser.TryParse(query, out var request, out var failure), failure.ToString());
        Assert.Equal(Hash, request.InfoHash);
        Assert.Equal(PeerIdBytes, request.PeerId);
        Assert.Equal(6881, request.Port);
        Assert.Equal(1234, request.Left);
        Assert.Equal(AnnounceEvent.Started, request.Event);
        Assert.Equal(200, request.NumWant);
        Assert.True(request.Compact);
        Assert.True(request.NoPeerId);
        Assert.Equal("4F2A1B3C", request.Key);
        Assert.Null(request.Ip);
    }

    [Fact]
    public void Aria2UpperCaseEscapesDecodeToTheSameHash()
    {
        var query = $"info_hash={Aria2Hash}&peer_id=A2-1-35-0-%01%02%03%04%05%06%07%08%09%0A&port=6881"
            + "&uploaded=10&downloaded=20&left=0&compact=1&key=abcdef&event=completed&numwant=50&supportcrypto=1";

        Assert.True(AnnounceQueryParser.TryParse(query, out var request, out _));
        Assert.Equal(Hash, request.InfoHash);
        Assert.Equal([.. "A2-1-35-0-"u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], request.PeerId);
        Assert.Equal(10, request.Uploaded);
        Assert.Equal(20, request.Downloaded);
        Assert.Equal(0, request.Left);
        Assert.Equal(AnnounceEvent.Completed, request.Event);
    }

    [Fact]
    public void PlusIsALiteralByteInBinaryParameters()
    {
        var query = "info_hash=++++++++++++++++++++&peer_id=-TR4050-++++++%2b%2B%20+++&port=51413";

        Assert.True(AnnounceQueryParser.TryParse(query, out var request, out _));
        Assert.Equal(Enumerable.Repeat((byte)'+', 20), request.InfoHash);
        Assert.Equal("-TR4050-++++++++ +++"u8.ToArray(), request.PeerId);
    }

    [Fact]
    public void RawLatin1CharsAreTakenAsBytesNeverDecodedAsText()
    {
        // A server that hands over the raw target as Latin-1 keeps bytes >= 0x80 as single chars.
        var query = $"info_hash=\u00ff\u00fe{LibtorrentHash[6..]}&peer_id={PeerId}&port=6881";

        Assert.True(AnnounceQueryParser.TryParse(query, out var request, out _));
        Assert.Equal([0xFF, 0xFE, .. Hash[2..]], request.InfoHash);
    }

    [Fact]
    public void DefaultsApplyWhenOptionalParametersAreMissing()
    {
        Assert.True(AnnounceQueryParser.TryParse($"?info_hash={LibtorrentHash}&peer_id={PeerId}&port=1", out var request, out _));
        Assert.Equal(0, request.Uploaded);
        Assert.Equal(0, request.Downloaded);
        Assert.Null(request.Left);
        Assert.Equal(AnnounceEvent.None, request.Event);
        Assert.True(request.Compact);
        Assert.False(request.NoPeerId);
        Assert.Equal(50, request.NumWant);
        Assert.Null(request.Key);
    }

    [Theory]
    [InlineData("&left=-1")]
    [InlineData("")]
    [InlineData("&left=")]
    [InlineData("&left=99999999999999999999999")]
    [InlineData("&left=9223372036854775808")]
    [InlineData("&left=12ab")]
    public void UnusableLeftIsUnknownNeverAFailure(string left)
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881{left}", out var request, out var failure), failure.ToString());
        Assert.Null(request.Left);
    }

    [Fact]
    public void LargestLeftIsKept()
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&left=9223372036854775807", out var request, out _));
        Assert.Equal(long.MaxValue, request.Left);
    }

    [Theory]
    [InlineData("started", AnnounceEvent.Started)]
    [InlineData("completed", AnnounceEvent.Completed)]
    [InlineData("stopped", AnnounceEvent.Stopped)]
    [InlineData("paused", AnnounceEvent.Paused)]
    [InlineData("", AnnounceEvent.None)]
    [InlineData("empty", AnnounceEvent.None)]
    [InlineData("STARTED", AnnounceEvent.None)]
    public void EventsParseAndUnknownEventsReadAsNone(string value, AnnounceEvent expected)
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&event={value}", out var request, out _));
        Assert.Equal(expected, request.Event);
    }

    [Theory]
    [InlineData("-1", -1)]
    [InlineData("0", 0)]
    [InlineData("99999999999999999999", int.MaxValue)]
    [InlineData("-99999999999999999999", int.MinValue)]
    public void NumWantIsKeptForTheCallerToClamp(string value, int expected)
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&numwant={value}", out var request, out _));
        Assert.Equal(expected, request.NumWant);
    }

    [Fact]
    public void CompactZeroAndIpAreReported()
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&compact=0&ip=2001%3adb8%3a%3a1", out var request, out _));
        Assert.False(request.Compact);
        Assert.Equal("2001:db8::1", request.Ip);
    }

    public static TheoryData<string, TrackerFailure> Failures => new()
    {
        { $"peer_id={PeerId}&port=6881", TrackerFailure.MissingInfoHash },
        { $"info_hash={LibtorrentHash[..^1]}&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash={LibtorrentHash}7&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash={LibtorrentHash[..^2]}%G1&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash={LibtorrentHash[..^2]}%3&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash={LibtorrentHash[..^1]}\u0100&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash=&peer_id={PeerId}&port=6881", TrackerFailure.InvalidInfoHash },
        { $"info_hash={LibtorrentHash}&info_hash={Aria2Hash}&peer_id={PeerId}&port=6881", TrackerFailure.DuplicateInfoHash },
        { $"info_hash={LibtorrentHash}&port=6881", TrackerFailure.MissingPeerId },
        { $"info_hash={LibtorrentHash}&peer_id=-LT2000-abcdefghijk&port=6881", TrackerFailure.InvalidPeerId },
        { $"info_hash={LibtorrentHash}&peer_id=-LT2000-abcdefghi&port=6881", TrackerFailure.InvalidPeerId },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}", TrackerFailure.MissingPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=0", TrackerFailure.InvalidPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=65536", TrackerFailure.InvalidPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=-1", TrackerFailure.InvalidPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=", TrackerFailure.InvalidPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=68a1", TrackerFailure.InvalidPort },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&port=6882", TrackerFailure.DuplicateParameter },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&uploaded=-5", TrackerFailure.InvalidNumber },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&downloaded=9223372036854775808", TrackerFailure.InvalidNumber },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&numwant=ten", TrackerFailure.InvalidNumber },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&key={new string('k', 65)}", TrackerFailure.InvalidKey },
        { $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&ip=%zz", TrackerFailure.InvalidEncoding },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void MalformedAnnouncesFailWithATypedReason(string query, TrackerFailure expected)
    {
        Assert.False(AnnounceQueryParser.TryParse(query, out var request, out var failure));
        Assert.Null(request);
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void OversizedQueryFailsBeforeParsing()
    {
        var query = $"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&pad=" + new string('x', 4096);
        Assert.False(AnnounceQueryParser.TryParse(query, out _, out var failure));
        Assert.Equal(TrackerFailure.QueryTooLong, failure);
    }

    [Fact]
    public void KeyOfSixtyFourBytesIsAccepted()
    {
        Assert.True(AnnounceQueryParser.TryParse($"info_hash={LibtorrentHash}&peer_id={PeerId}&port=6881&key={new string('k', 64)}", out var request, out _));
        Assert.Equal(64, request.Key!.Length);
    }

    [Fact]
    public void EveryFailureHasAMessage()
    {
        foreach (var failure in Enum.GetValues<TrackerFailure>())
        {
            Assert.False(string.IsNullOrWhiteSpace(failure.Message()));
            Assert.NotEqual("invalid request", failure.Message());
        }
    }
}
