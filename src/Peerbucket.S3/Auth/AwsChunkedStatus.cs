namespace Peerbucket.S3.Auth;

/// <summary>What one <see cref="AwsChunkedParser.Parse"/> call found at the start of its input.</summary>
public enum AwsChunkedStatus
{
    /// <summary>The input ends inside the next element; nothing was consumed. Call again with more bytes.</summary>
    NeedMoreData,

    /// <summary>A chunk-size line of a chunk with data: <see cref="AwsChunkedToken.ChunkSize"/> and, when signed,
    /// <see cref="AwsChunkedToken.Signature"/>.</summary>
    ChunkHeader,

    /// <summary>Bytes of the current chunk's data in <see cref="AwsChunkedToken.Data"/> (possibly only part of it).</summary>
    ChunkData,

    /// <summary>The CRLF after a chunk's data: the chunk is complete.</summary>
    ChunkEnd,

    /// <summary>The zero-length chunk's line (with its signature when signed): no data follows, only trailers.</summary>
    FinalChunk,

    /// <summary>One trailing header line: <see cref="AwsChunkedToken.TrailerName"/> and <see cref="AwsChunkedToken.TrailerValue"/>.</summary>
    Trailer,

    /// <summary>The empty line that ends the body was consumed (or, once ended, the input was empty).</summary>
    Completed,

    /// <summary>The body is malformed or breaks a limit: <see cref="AwsChunkedToken.Error"/> says how.</summary>
    Invalid,
}
