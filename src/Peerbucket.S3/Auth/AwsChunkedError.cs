namespace Peerbucket.S3.Auth;

/// <summary>Why an aws-chunked body was rejected. <see cref="AwsChunkedErrors.ToS3"/> maps each to its S3 error.</summary>
public enum AwsChunkedError
{
    None,

    // Framing, found by AwsChunkedParser.

    /// <summary>The chunk-size field is empty or has a byte that is not a hex digit (a sign, "0x", a space inside it, ...).</summary>
    ChunkSizeNotHex,

    /// <summary>The chunk size is above <see cref="AwsChunkedParser.MaxChunkSize"/> (this also catches any size
    /// that would overflow).</summary>
    ChunkSizeTooLarge,

    /// <summary>A chunk-size or trailer line is longer than <see cref="AwsChunkedParser.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>A line ends with a bare LF instead of CRLF.</summary>
    LineNotCrLf,

    /// <summary>A signed chunk's line has no ";chunk-signature=" extension.</summary>
    ChunkSignatureMissing,

    /// <summary>A chunk-signature is not 64 hex digits.</summary>
    ChunkSignatureMalformed,

    /// <summary>A chunk's data is not followed by CRLF: the chunk is longer than its declared size.</summary>
    ChunkDataNotFollowedByCrLf,

    /// <summary>The chunks add up to more than x-amz-decoded-content-length.</summary>
    DecodedLengthExceeded,

    /// <summary>The final chunk came before x-amz-decoded-content-length bytes.</summary>
    DecodedLengthMismatch,

    /// <summary>Lines follow the final chunk but x-amz-content-sha256 does not announce a trailer.</summary>
    TrailerNotAnnounced,

    /// <summary>A trailer line is not "name:value" with a token name and a value without control bytes.</summary>
    TrailerLineMalformed,

    /// <summary>The trailer section is longer than <see cref="AwsChunkedParser.MaxTrailerBytes"/>.</summary>
    TrailerTooLarge,

    /// <summary>The trailer section has more than <see cref="AwsChunkedParser.MaxTrailerCount"/> lines.</summary>
    TooManyTrailers,

    /// <summary>Bytes follow the empty line that ends the body.</summary>
    DataAfterEnd,

    /// <summary>The input ended before the body did.</summary>
    Truncated,

    // Found by AwsChunkedStream, which checks what the parser hands it.

    /// <summary>A trailer name appears twice.</summary>
    TrailerDuplicate,

    /// <summary>A chunk-signature does not match the one computed over the chunk, chained from the previous one.</summary>
    ChunkSignatureMismatch,

    /// <summary>A signed trailer has no x-amz-trailer-signature.</summary>
    TrailerSignatureMissing,

    /// <summary>The x-amz-trailer-signature does not match the one computed over the trailers.</summary>
    TrailerSignatureMismatch,
}
