using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>The one mapping from <see cref="AwsChunkedError"/> to the S3 error a client sees. Messages are fixed
/// text: nothing from the body is echoed (it may hold bytes an XML error document cannot carry).</summary>
internal static class AwsChunkedErrors
{
    public static S3Exception ToS3(AwsChunkedError error) => error switch
    {
        // Amazon S3 answers a body that is not well-formed aws-chunked (bad chunk size, missing CRLF or
        // chunk-signature, truncation, ...) with 400 IncompleteBody, and so do we.
        AwsChunkedError.ChunkSizeNotHex => Incomplete("a chunk size is not a hexadecimal number"),
        AwsChunkedError.LineNotCrLf => Incomplete("a line is not terminated by CRLF"),
        AwsChunkedError.ChunkSignatureMissing => Incomplete("a chunk has no chunk-signature"),
        AwsChunkedError.ChunkSignatureMalformed => Incomplete("a chunk-signature is not 64 hexadecimal digits"),
        AwsChunkedError.ChunkDataNotFollowedByCrLf => Incomplete("chunk data is not followed by CRLF (the chunk is longer than its declared size)"),
        AwsChunkedError.DataAfterEnd => Incomplete("bytes follow the end of the aws-chunked body"),
        AwsChunkedError.Truncated => Incomplete("the aws-chunked body ended before its end"),

        // The decoded length is what x-amz-decoded-content-length promised: AWS's IncompleteBody, as for Content-Length.
        AwsChunkedError.DecodedLengthExceeded =>
            new S3Exception(S3ErrorCode.IncompleteBody, "The aws-chunked body is longer than x-amz-decoded-content-length."),
        AwsChunkedError.DecodedLengthMismatch =>
            new S3Exception(S3ErrorCode.IncompleteBody, "The aws-chunked body is shorter than x-amz-decoded-content-length."),

        // Limits of this server and trailer problems: 400 InvalidRequest.
        AwsChunkedError.ChunkSizeTooLarge =>
            new S3Exception(S3ErrorCode.InvalidRequest, $"aws-chunked chunks may be at most {AwsChunkedParser.MaxChunkSize} bytes."),
        AwsChunkedError.LineTooLong => Malformed($"a chunk header or trailer line exceeds {AwsChunkedParser.MaxLineLength} bytes"),
        AwsChunkedError.TrailerTooLarge => Malformed($"the trailer exceeds {AwsChunkedParser.MaxTrailerBytes} bytes"),
        AwsChunkedError.TooManyTrailers => Malformed($"the trailer has more than {AwsChunkedParser.MaxTrailerCount} lines"),
        AwsChunkedError.TrailerNotAnnounced => Malformed("trailing headers were sent but x-amz-content-sha256 does not announce a trailer"),
        AwsChunkedError.TrailerLineMalformed => Malformed("a trailer line is not name:value"),
        AwsChunkedError.TrailerDuplicate => Malformed("a trailer appears twice"),

        // Signatures: 403 SignatureDoesNotMatch, as for the request's own signature.
        AwsChunkedError.ChunkSignatureMismatch => new S3Exception(S3ErrorCode.SignatureDoesNotMatch,
            "The chunk signature we calculated does not match the chunk-signature you provided."),
        AwsChunkedError.TrailerSignatureMissing => new S3Exception(S3ErrorCode.SignatureDoesNotMatch,
            "The trailer has no x-amz-trailer-signature."),
        AwsChunkedError.TrailerSignatureMismatch => new S3Exception(S3ErrorCode.SignatureDoesNotMatch,
            "The trailer signature we calculated does not match the x-amz-trailer-signature you provided."),

        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Not an aws-chunked failure."),
    };

    private static S3Exception Incomplete(string problem) =>
        new(S3ErrorCode.IncompleteBody, $"The request body terminated unexpectedly: {problem}.");

    private static S3Exception Malformed(string problem) =>
        new(S3ErrorCode.InvalidRequest, $"Malformed aws-chunked body: {problem}.");
}
