using System.Buffers;

namespace Peerbucket.S3.Auth;

/// <summary>What <see cref="AwsChunkedParser.Parse"/> found; the sequences are slices of the input it was given,
/// valid as long as that input is.</summary>
public readonly struct AwsChunkedToken
{
    /// <summary>Bytes of the input this element took (0 for <see cref="AwsChunkedStatus.NeedMoreData"/> and
    /// <see cref="AwsChunkedStatus.Invalid"/>).</summary>
    public long Consumed { get; init; }

    /// <summary>The declared chunk size (ChunkHeader; 0 for FinalChunk).</summary>
    public int ChunkSize { get; init; }

    /// <summary>The chunk-signature's 64 hex digits (ChunkHeader and FinalChunk of a signed body; empty otherwise).</summary>
    public ReadOnlySequence<byte> Signature { get; init; }

    /// <summary>Chunk data (ChunkData).</summary>
    public ReadOnlySequence<byte> Data { get; init; }

    /// <summary>The trailer's name as sent, without surrounding whitespace (Trailer).</summary>
    public ReadOnlySequence<byte> TrailerName { get; init; }

    /// <summary>The trailer's value without surrounding whitespace (Trailer).</summary>
    public ReadOnlySequence<byte> TrailerValue { get; init; }

    /// <summary>Why the body was rejected (Invalid).</summary>
    public AwsChunkedError Error { get; init; }
}
