using System.Buffers;
using System.Text;
using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

public class AwsChunkedParserTests
{
    private const string Signed = SigV4PayloadHashes.StreamingPayload;
    private const string SignedTrailer = SigV4PayloadHashes.StreamingPayloadTrailer;
    private const string UnsignedTrailer = SigV4PayloadHashes.StreamingUnsignedPayloadTrailer;
    private const string Sig = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly byte[] ExampleObject = Enumerable.Repeat((byte)'a', 66560).ToArray();

    /// <summary>A golden body, the parser mode it is sent in, and the elements the parser must find in it.</summary>
    public sealed record Case(string Name, string Mode, long? Decoded, byte[] Body, byte[] Object, string[] Events)
    {
        public AwsChunkedParser Parser() => ParserRun.Parser(Mode, Decoded);

        public override string ToString() => Name;
    }

    private static readonly Case[] Cases =
    [
        // The AWS SigV4 documentation's STREAMING-AWS4-HMAC-SHA256-PAYLOAD example: 64 KiB + 1 KiB of 'a'.
        new("aws-signed", Signed, 66560, ChunkedBodies.AwsExampleBody(trailer: false), ExampleObject,
        [
            "header 10000 ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "end",
            "header 400 0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "end",
            "final b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9", "completed",
        ]),

        // The documentation's STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER example, with its signed CRC32C trailer.
        new("aws-signed-trailer", SignedTrailer, 66560, ChunkedBodies.AwsExampleBody(trailer: true), ExampleObject,
        [
            "header 10000 b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "end",
            "header 400 1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "end",
            "final 2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
            "trailer x-amz-checksum-crc32c=sOO8/Q==",
            "trailer x-amz-trailer-signature=d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435", "completed",
        ]),

        // STREAMING-UNSIGNED-PAYLOAD-TRAILER as the SDKs send it (no chunk signatures; whitespace around the value).
        new("unsigned-trailer", UnsignedTrailer, 20,
            "5\r\nhello\r\nf\r\n, chunked world\r\n0\r\nx-amz-checksum-crc32: DUoRhQ== \r\nx-amz-meta-note:\t padded\r\n\r\n"u8.ToArray(),
            "hello, chunked world"u8.ToArray(),
            ["header 5", "end", "header f", "end", "final", "trailer x-amz-checksum-crc32=DUoRhQ==", "trailer x-amz-meta-note=padded", "completed"]),

        // Some clients put an empty line between the final chunk and the trailer.
        new("empty-line-before-trailer", UnsignedTrailer, 2,
            "2\r\nhi\r\n0\r\n\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"u8.ToArray(), "hi"u8.ToArray(),
            ["header 2", "end", "final", "trailer x-amz-checksum-crc32=AAAAAA==", "completed"]),

        // A trailer mode whose final chunk has no trailer at all, and an upper-case hex size with leading zeros.
        new("trailer-mode-without-trailer", UnsignedTrailer, 10, "00A\r\n0123456789\r\n0\r\n\r\n"u8.ToArray(), "0123456789"u8.ToArray(),
            ["header a", "end", "final", "completed"]),

        // No x-amz-decoded-content-length, whitespace around the size, an empty object.
        new("empty-object", Signed, null, Encoding.ASCII.GetBytes($" 0 ;chunk-signature={Sig} \r\n\r\n"), [], [$"final {Sig}", "completed"]),
    ];

    public static TheoryData<Case> GoldenCases()
    {
        var data = new TheoryData<Case>();
        foreach (var c in Cases)
        {
            data.Add(c);
        }

        return data;
    }

    private static void AssertDecodes(Case c, ParserRun run, string how)
    {
        Assert.True(c.Events.SequenceEqual(run.Events), $"{c.Name} {how}: {string.Join(" | ", run.Events)}");
        Assert.Equal(c.Object, run.Data);
        Assert.Equal(AwsChunkedError.None, run.Error);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenBodyParsesWhole(Case c) => AssertDecodes(c, ParserRun.Whole(c.Parser(), c.Body), "whole");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenBodyParsesInsideALargerBuffer(Case c) => AssertDecodes(c, ParserRun.Padded(c.Parser(), c.Body), "padded");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenBodyParsesSplitIntoTwoSegmentsAtEveryOffset(Case c)
    {
        for (var split = 0; split <= c.Body.Length; split++)
        {
            AssertDecodes(c, ParserRun.SplitAt(c.Parser(), c.Body, split), $"split at {split}");
        }
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenBodyParsesOneBytePerSegment(Case c) => AssertDecodes(c, ParserRun.OneBytePerSegment(c.Parser(), c.Body), "one byte per segment");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenBodyParsesWithOneDataByteAtATime(Case c) =>
        AssertDecodes(c, ParserRun.Of(c.Parser(), c.Body, [], maxDataBytes: 1), "maxDataBytes 1");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void ParseConsumesNothingForEveryPrefixAndEveryProperPrefixIsTruncated(Case c)
    {
        for (var length = 0; length < c.Body.Length; length++)
        {
            // Fed only the prefix, more to come: it stops at NeedMoreData, which consumed nothing and left the
            // parser as it was (ParserRun checks), after a prefix of the elements.
            var prefix = ParserRun.Of(c.Parser(), c.Body[..length], [], keepData: false, endsInput: false);
            Assert.Equal("need-more", prefix.Events[^1]);
            Assert.Equal(c.Events[..(prefix.Events.Count - 1)], prefix.Events[..^1]);

            // Fed only the prefix as the whole body: it ends inside an element.
            var truncated = ParserRun.Of(c.Parser(), c.Body[..length], [], keepData: false);
            if (c.Name == "empty-line-before-trailer" && Encoding.ASCII.GetString(c.Body[..length]).EndsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                Assert.Equal("completed", truncated.Events[^1]); // "0\r\n\r\n" is a whole body on its own
                continue;
            }

            Assert.True(truncated.Error == AwsChunkedError.Truncated, $"prefix {length}: {string.Join(" | ", truncated.Events)}");
        }
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void BytesAfterTheEndAreDataAfterEnd(Case c)
    {
        var padded = c.Body.Append((byte)'X').ToArray();

        // In a trailer mode, bytes after "0\r\n\r\n" are read as the trailer some clients send after an empty line.
        string[] expected = SigV4PayloadHashes.HasTrailer(c.Mode) && c.Events[^2] == "final"
            ? [.. c.Events[..^1], "invalid Truncated"]
            : [.. c.Events, "invalid DataAfterEnd"];
        foreach (var run in new[] { ParserRun.Whole(c.Parser(), padded), ParserRun.SplitAt(c.Parser(), padded, c.Body.Length), ParserRun.OneBytePerSegment(c.Parser(), padded) })
        {
            Assert.Equal(expected, run.Events);
        }
    }

    [Theory]
    // Chunk size: not hex (a sign, 0x, inner space, empty, NBSP, NUL, non-ASCII digit).
    [InlineData(UnsignedTrailer, "zz\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "-1\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "+5\r\nhello\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "0x5\r\nhello\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "5 5\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, ";x=y\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "\u00a05\r\nhello\r\n0\r\n\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "\u00015\r\nhello\r\n0\r\n\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "5\u0000\r\nhello\r\n0\r\n\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "\u00d9\u00a5\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(UnsignedTrailer, "5\rX\r\n", AwsChunkedError.ChunkSizeNotHex)]
    [InlineData(Signed, "zz;chunk-signature=00\r\n", AwsChunkedError.ChunkSizeNotHex)]
    // Chunk size: above the limit, or past any integer type.
    [InlineData(UnsignedTrailer, "1000001\r\n", AwsChunkedError.ChunkSizeTooLarge)]
    [InlineData(UnsignedTrailer, "ffffffff\r\n", AwsChunkedError.ChunkSizeTooLarge)]
    [InlineData(UnsignedTrailer, "10000000000000000000000000000005\r\n", AwsChunkedError.ChunkSizeTooLarge)]
    [InlineData(Signed, "1000001;chunk-signature=00\r\n", AwsChunkedError.ChunkSizeTooLarge)]
    // CRLF.
    [InlineData(UnsignedTrailer, "5\nhello\r\n", AwsChunkedError.LineNotCrLf)]
    [InlineData(Signed, "5;chunk-signature=00\nhello\r\n", AwsChunkedError.LineNotCrLf)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\n\r\n", AwsChunkedError.LineNotCrLf)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\n\n", AwsChunkedError.LineNotCrLf)]
    [InlineData(UnsignedTrailer, "3\r\nhello\r\n0\r\n\r\n", AwsChunkedError.ChunkDataNotFollowedByCrLf)]
    [InlineData(UnsignedTrailer, "5\r\nhello\n0\r\n\r\n", AwsChunkedError.ChunkDataNotFollowedByCrLf)]
    [InlineData(UnsignedTrailer, "5\r\nhello\rX0\r\n\r\n", AwsChunkedError.ChunkDataNotFollowedByCrLf)]
    // Chunk signatures.
    [InlineData(Signed, "5\r\nhello\r\n0\r\n\r\n", AwsChunkedError.ChunkSignatureMissing)]
    [InlineData(Signed, "5;\r\nhello\r\n", AwsChunkedError.ChunkSignatureMissing)]
    [InlineData(Signed, "5;chunk-signatur=" + Sig + "\r\nhello\r\n", AwsChunkedError.ChunkSignatureMissing)]
    [InlineData(Signed, "5;x=y;chunk-signature=" + Sig + "\r\nhello\r\n", AwsChunkedError.ChunkSignatureMissing)]
    [InlineData(Signed, "5;chunk-signature=00\r\nhello\r\n", AwsChunkedError.ChunkSignatureMalformed)]
    [InlineData(Signed, "5;chunk-signature=" + Sig + "0\r\nhello\r\n", AwsChunkedError.ChunkSignatureMalformed)]
    [InlineData(Signed, "5;chunk-signature=g" + "000000000000000000000000000000000000000000000000000000000000000" + "\r\nhello\r\n", AwsChunkedError.ChunkSignatureMalformed)]
    [InlineData(Signed, "5;chunk-signature=\r\nhello\r\n", AwsChunkedError.ChunkSignatureMalformed)]
    // x-amz-decoded-content-length (5 declared).
    [InlineData(UnsignedTrailer, "6\r\nhello!\r\n0\r\n\r\n", AwsChunkedError.DecodedLengthExceeded)]
    [InlineData(UnsignedTrailer, "3\r\nhel\r\n3\r\nlo!\r\n0\r\n\r\n", AwsChunkedError.DecodedLengthExceeded)]
    [InlineData(UnsignedTrailer, "4\r\nhell\r\n0\r\n\r\n", AwsChunkedError.DecodedLengthMismatch)]
    [InlineData(UnsignedTrailer, "0\r\n\r\n", AwsChunkedError.DecodedLengthMismatch)]
    // Trailer problems.
    [InlineData(Signed, "5;chunk-signature=" + Sig + "\r\nhello\r\n0;chunk-signature=" + Sig + "\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", AwsChunkedError.TrailerNotAnnounced)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nno colon\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\n:value\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\n :value\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nbad name:value\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-meta-a:\u0001\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-meta-a:a\u0000b\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-meta-a:a\u007fb\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-meta-\u00e9:v\r\n\r\n", AwsChunkedError.TrailerLineMalformed)]
    // After the end, and before it.
    [InlineData(Signed, "5;chunk-signature=" + Sig + "\r\nhello\r\n0;chunk-signature=" + Sig + "\r\n\r\nGARBAGE", AwsChunkedError.DataAfterEnd)]
    [InlineData(Signed, "5;chunk-signature=" + Sig + "\r\nhello\r\n0;chunk-signature=" + Sig + "\r\n\r\n\r\n", AwsChunkedError.DataAfterEnd)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\nGARBAGE", AwsChunkedError.DataAfterEnd)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\n\r\n\r\n\r\n", AwsChunkedError.DataAfterEnd)]
    [InlineData(UnsignedTrailer, "", AwsChunkedError.Truncated)]
    [InlineData(UnsignedTrailer, "5\r\nhel", AwsChunkedError.Truncated)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r", AwsChunkedError.Truncated)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\n", AwsChunkedError.Truncated)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n", AwsChunkedError.Truncated)]
    [InlineData(UnsignedTrailer, "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==", AwsChunkedError.Truncated)]
    [InlineData(Signed, "5;chunk-signature=" + Sig + "\r\nhello\r\n0;chunk-signature=" + Sig + "\r\n", AwsChunkedError.Truncated)]
    public void MalformedBodyIsInvalidWithItsReasonWhateverTheSegmentation(string mode, string body, AwsChunkedError expected)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        AssertFails(mode, bytes, expected);
    }

    [Fact]
    public void LineAtTheLimitIsReadAndOneByteMoreIsLineTooLong()
    {
        var atLimit = Encoding.ASCII.GetBytes("5" + new string(' ', AwsChunkedParser.MaxLineLength - 1) + "\r\nhello\r\n0\r\n\r\n");
        Assert.Equal(["header 5", "end", "final", "completed"], ParserRun.Whole(ParserRun.Parser(UnsignedTrailer, 5), atLimit).Events);

        var overLimit = Encoding.ASCII.GetBytes("5" + new string(' ', AwsChunkedParser.MaxLineLength) + "\r\nhello\r\n0\r\n\r\n");
        AssertFails(UnsignedTrailer, overLimit, AwsChunkedError.LineTooLong);
    }

    [Fact]
    public void LineWithoutNewlineIsLineTooLongOnceItPassesTheLimitWithoutWaitingForMore()
    {
        var body = Encoding.ASCII.GetBytes(new string('1', AwsChunkedParser.MaxLineLength + 2));
        var parser = ParserRun.Parser(UnsignedTrailer, null);
        Assert.Equal(AwsChunkedStatus.NeedMoreData, parser.Parse(new ReadOnlySequence<byte>(body, 0, body.Length - 1), false, out _));
        Assert.Equal(AwsChunkedStatus.Invalid, parser.Parse(new ReadOnlySequence<byte>(body), false, out var token));
        Assert.Equal(AwsChunkedError.LineTooLong, token.Error);
        AssertFails(UnsignedTrailer, Encoding.ASCII.GetBytes(new string('1', 100_000)), AwsChunkedError.LineTooLong);
    }

    [Fact]
    public void TrailerLongerThanTheLimitIsTrailerTooLarge()
    {
        var line = "x-amz-meta-a:" + new string('v', 4000) + "\r\n";
        var body = Encoding.ASCII.GetBytes("0\r\n" + string.Concat(Enumerable.Range(0, 5).Select(i => line.Replace("-a:", $"-{i}:", StringComparison.Ordinal))) + "\r\n");
        AssertFails(UnsignedTrailer, body, AwsChunkedError.TrailerTooLarge, decoded: 0);
    }

    [Fact]
    public void TrailerWithMoreThanTheLimitOfLinesIsTooManyTrailers()
    {
        string Lines(int count) => "0\r\n" + string.Concat(Enumerable.Range(0, count).Select(static i => $"x-amz-meta-{i}:v\r\n")) + "\r\n";
        var atLimit = ParserRun.Whole(ParserRun.Parser(UnsignedTrailer, 0), Encoding.ASCII.GetBytes(Lines(AwsChunkedParser.MaxTrailerCount)));
        Assert.Equal("completed", atLimit.Events[^1]);
        AssertFails(UnsignedTrailer, Encoding.ASCII.GetBytes(Lines(AwsChunkedParser.MaxTrailerCount + 1)), AwsChunkedError.TooManyTrailers, decoded: 0);
    }

    [Fact]
    public void InvalidIsFinal()
    {
        var parser = ParserRun.Parser(UnsignedTrailer, null);
        var bad = new ReadOnlySequence<byte>("zz\r\n"u8.ToArray());
        Assert.Equal(AwsChunkedStatus.Invalid, parser.Parse(bad, false, out var first));
        Assert.Equal(AwsChunkedStatus.Invalid, parser.Parse(new ReadOnlySequence<byte>("5\r\n"u8.ToArray()), false, out var again));
        Assert.Equal(AwsChunkedError.ChunkSizeNotHex, first.Error);
        Assert.Equal(first.Error, again.Error);
        Assert.Equal(0, again.Consumed);
    }

    [Fact]
    public void ChunkHeaderReportsSizeSignatureAndBytesConsumed()
    {
        var line = Encoding.ASCII.GetBytes($"10000;chunk-signature={Sig}\r\n");
        var parser = ParserRun.Parser(Signed, null);
        var input = Sequences.Of(line, [5, 40], out _);
        Assert.Equal(AwsChunkedStatus.ChunkHeader, parser.Parse(input, false, out var token));
        Assert.Equal(line.Length, token.Consumed);
        Assert.Equal(0x10000, token.ChunkSize);
        Assert.Equal(Sig, Encoding.ASCII.GetString(token.Signature));
        Assert.Equal(0x10000, parser.DecodedLength);
        Assert.False(parser.IsCompleted);
    }

    [Fact]
    public void ConstructorRefusesANegativeDecodedLength() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwsChunkedParser(false, true, -1));

    private static void AssertFails(string mode, byte[] body, AwsChunkedError expected, long? decoded = 5)
    {
        var parser = ParserRun.Parser(mode, decoded);
        var runs = new List<(string How, ParserRun Run)>
        {
            ("whole", ParserRun.Whole(parser, body)),
            ("padded", ParserRun.Padded(parser, body)),
            ("one byte per segment", ParserRun.OneBytePerSegment(parser, body)),
        };
        // Every offset; for the long bodies of the limit tests, every offset near the ends and every 97th between.
        for (var split = 0; split <= body.Length; split++)
        {
            if (body.Length <= 1024 || split <= 512 || split >= body.Length - 512 || split % 97 == 0)
            {
                runs.Add(($"split at {split}", ParserRun.SplitAt(parser, body, split)));
            }
        }

        foreach (var (how, run) in runs)
        {
            Assert.True(run.Error == expected, $"{how}: expected {expected}, got {string.Join(" | ", run.Events)}");
            Assert.Equal(runs[0].Run.Events, run.Events);
        }
    }
}
