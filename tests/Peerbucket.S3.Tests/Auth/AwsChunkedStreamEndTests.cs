using System.IO.Pipelines;
using System.Text;
using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>What AwsChunkedStream adds to the parser: the end only once the input ends, the checks that need state
/// (duplicate trailers), the PipeReader it reads, and S3 errors a client can be sent.</summary>
public class AwsChunkedStreamEndTests
{
    private static readonly byte[][] SmallChunks = [Encoding.ASCII.GetBytes("hello, "), Encoding.ASCII.GetBytes("chunked world")];
    private static readonly byte[] SmallObject = [.. SmallChunks.SelectMany(static c => c)];

    private static async Task<S3Exception> FailsAsync(Stream stream, S3ErrorCode code)
    {
        var thrown = await Assert.ThrowsAsync<S3Exception>(() => ChunkedBodies.ReadAllAsync(stream));
        Assert.Equal(code, thrown.Code);
        return thrown;
    }

    private static AwsChunkedStream Unsigned(byte[] body, long? decoded = null) =>
        new(new MemoryStream(body), SigV4PayloadHashes.StreamingUnsignedPayloadTrailer, null, decoded);

    [Theory]
    [InlineData(false, "X")]
    [InlineData(false, "\r\n")]
    [InlineData(true, "GARBAGE")]
    [InlineData(true, "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n\r\n")]
    public async Task BytesAfterTheEndOfASignedBodyAreIncompleteBody(bool trailer, string after)
    {
        var body = ChunkedBodies.AwsExampleBody(trailer).Concat(Encoding.ASCII.GetBytes(after)).ToArray();
        var mode = trailer ? SigV4PayloadHashes.StreamingPayloadTrailer : SigV4PayloadHashes.StreamingPayload;
        var stream = new AwsChunkedStream(new SegmentedStream(body, maxRead: 1000), mode, ChunkedBodies.Context(trailer ? ChunkedBodies.TrailerSeed : ChunkedBodies.Seed), 66560);
        await FailsAsync(stream, S3ErrorCode.IncompleteBody);
        Assert.False(stream.IsCompleted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignedBodyWithoutItsFinalCrLfIsIncompleteBody(bool trailer)
    {
        var body = ChunkedBodies.AwsExampleBody(trailer)[..^2];
        var mode = trailer ? SigV4PayloadHashes.StreamingPayloadTrailer : SigV4PayloadHashes.StreamingPayload;
        var stream = new AwsChunkedStream(new MemoryStream(body), mode, ChunkedBodies.Context(trailer ? ChunkedBodies.TrailerSeed : ChunkedBodies.Seed), 66560);
        await FailsAsync(stream, S3ErrorCode.IncompleteBody);
    }

    [Fact]
    public async Task BytesAfterTheTrailerOfAnUnsignedBodyAreIncompleteBodyWhereverTheySplit()
    {
        var body = ChunkedBodies.Unsigned(SmallChunks, [new("x-amz-checksum-crc32", "DUoRhQ==")]).Concat("GARBAGE"u8.ToArray()).ToArray();
        for (var split = 0; split <= body.Length; split++)
        {
            var stream = new AwsChunkedStream(new SegmentedStream(body, splitAt: split), SigV4PayloadHashes.StreamingUnsignedPayloadTrailer, null, SmallObject.Length);
            await FailsAsync(stream, S3ErrorCode.IncompleteBody);
        }
    }

    [Theory]
    [InlineData("x-amz-checksum-crc32:AAAAAA==\r\nx-amz-checksum-crc32:AAAAAA==\r\n")]
    [InlineData("x-amz-checksum-crc32:AAAAAA==\r\nX-Amz-Checksum-CRC32:BBBBBB==\r\n")]
    [InlineData("x-amz-trailer-signature:00\r\nx-amz-trailer-signature:00\r\n")]
    public async Task DuplicateTrailerIsInvalidRequest(string trailer) =>
        await FailsAsync(Unsigned(Encoding.ASCII.GetBytes("0\r\n" + trailer + "\r\n"), 0), S3ErrorCode.InvalidRequest);

    // Before the parser, these bodies were echoed into the error message, the XML writer refused the control byte
    // and the client got an HTTP 500.
    [Theory]
    [InlineData("\u0001\r\nhello\r\n0\r\n\r\n", S3ErrorCode.IncompleteBody)]
    [InlineData("5\u0000\r\nhello\r\n0\r\n\r\n", S3ErrorCode.IncompleteBody)]
    [InlineData("\u00a05\r\nhello\r\n0\r\n\r\n", S3ErrorCode.IncompleteBody)]
    [InlineData("5\r\nhello\r\n0\r\n\u0001\r\n\r\n", S3ErrorCode.InvalidRequest)]
    [InlineData("5\r\nhello\r\n0\r\nx-amz-meta-a:\u0001\r\n\r\n", S3ErrorCode.InvalidRequest)]
    public async Task ControlBytesInTheFramingAreA400ErrorTheXmlDocumentCanCarry(string body, S3ErrorCode code)
    {
        var thrown = await FailsAsync(Unsigned(Encoding.Latin1.GetBytes(body), 5), code);
        Assert.Equal(400, S3Errors.StatusOf(thrown.Code));
        var xml = S3Xml.Document("Error", w => w.WriteElementString("Message", thrown.Message), inNamespace: false);
        Assert.NotEmpty(xml);
    }

    public static TheoryData<AwsChunkedError> Reasons() => new(Enum.GetValues<AwsChunkedError>().Where(static e => e != AwsChunkedError.None));

    [Theory]
    [MemberData(nameof(Reasons))]
    public void EveryReasonIsAClientErrorWithAFixedMessage(AwsChunkedError reason)
    {
        var error = AwsChunkedErrors.ToS3(reason);
        var expected = reason switch
        {
            AwsChunkedError.ChunkSignatureMismatch or AwsChunkedError.TrailerSignatureMissing or AwsChunkedError.TrailerSignatureMismatch
                => S3ErrorCode.SignatureDoesNotMatch,
            AwsChunkedError.ChunkSizeTooLarge or AwsChunkedError.LineTooLong or AwsChunkedError.TrailerTooLarge or AwsChunkedError.TooManyTrailers
                or AwsChunkedError.TrailerNotAnnounced or AwsChunkedError.TrailerLineMalformed or AwsChunkedError.TrailerDuplicate
                => S3ErrorCode.InvalidRequest,
            _ => S3ErrorCode.IncompleteBody,
        };
        Assert.Equal(expected, error.Code);
        Assert.InRange(S3Errors.StatusOf(error.Code), 400, 403);
        Assert.DoesNotContain(error.Message, static c => char.IsControl(c));
        Assert.NotEqual(S3Errors.MessageOf(error.Code), error.Message);
    }

    [Fact]
    public void NoneIsNotAFailure() => Assert.Throws<ArgumentOutOfRangeException>(() => AwsChunkedErrors.ToS3(AwsChunkedError.None));

    [Fact]
    public async Task PipeReaderBodyDecodesAsItArrivesAndIsLeftForItsOwner()
    {
        var body = ChunkedBodies.Signed(ChunkedBodies.Context(), SmallChunks, [new("x-amz-checksum-crc32c", "sOO8/Q==")]);
        var pipe = new Pipe();
        var stream = new AwsChunkedStream(pipe.Reader, SigV4PayloadHashes.StreamingPayloadTrailer, ChunkedBodies.Context(), SmallObject.Length);
        var reading = ChunkedBodies.ReadAllAsync(stream, 4);
        foreach (var piece in body.Chunk(7))
        {
            await pipe.Writer.WriteAsync(piece);
        }

        await Task.Delay(50);
        Assert.False(reading.IsCompleted, "the body is only complete once the input ends");
        await pipe.Writer.CompleteAsync();
        Assert.Equal(SmallObject, await reading);
        Assert.True(stream.IsCompleted);
        Assert.Equal("sOO8/Q==", stream.Trailers["x-amz-checksum-crc32c"]);

        await stream.DisposeAsync();
        var rest = await pipe.Reader.ReadAsync();
        Assert.True(rest.IsCompleted && rest.Buffer.IsEmpty);
        pipe.Reader.AdvanceTo(rest.Buffer.End);
    }

    [Fact]
    public async Task ByteAfterTheEndThatArrivesLaterIsIncompleteBody()
    {
        var body = ChunkedBodies.Unsigned(SmallChunks, [new("x-amz-checksum-crc32", "DUoRhQ==")]);
        var pipe = new Pipe();
        var stream = new AwsChunkedStream(pipe.Reader, SigV4PayloadHashes.StreamingUnsignedPayloadTrailer, null, SmallObject.Length);
        await pipe.Writer.WriteAsync(body);
        var buffer = new byte[100];
        Assert.Equal(SmallObject.Length, await stream.ReadAtLeastAsync(buffer, SmallObject.Length, throwOnEndOfStream: false));
        var end = stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false).AsTask();
        await Task.Delay(50);
        Assert.False(end.IsCompleted);
        await pipe.Writer.WriteAsync("\r\n"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var thrown = await Assert.ThrowsAsync<S3Exception>(() => end);
        Assert.Equal(S3ErrorCode.IncompleteBody, thrown.Code);
    }

    [Fact]
    public async Task StreamOwnsThePipeReaderItMadeOverAStream()
    {
        var inner = new MemoryStream(ChunkedBodies.Unsigned(SmallChunks, []));
        var stream = new AwsChunkedStream(inner, SigV4PayloadHashes.StreamingUnsignedPayloadTrailer, null, SmallObject.Length, leaveOpen: false);
        Assert.Equal(SmallObject, await ChunkedBodies.ReadAllAsync(stream));
        await stream.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => inner.ReadByte());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadAtLeastAsync(new byte[1], 1));
    }
}
