using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>Decodes an aws-chunked request body (Content-Encoding: aws-chunked) to the object bytes: reads the body
/// through a <see cref="PipeReader"/>, lets <see cref="AwsChunkedParser"/> find the chunks, and checks what it finds.
/// For STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) every chunk signature is verified, chained from the seed
/// signature, before any of the chunk's bytes are handed out; the signed trailer is verified too. The end is only
/// reported once the body has ended right after its final CRLF. Failures surface as <see cref="S3Exception"/>
/// (see <see cref="AwsChunkedErrors"/>).</summary>
internal sealed class AwsChunkedStream : Stream
{
    private const string TrailerSignatureName = "x-amz-trailer-signature";

    private readonly PipeReader _reader;
    private readonly bool _ownsReader;
    private readonly bool _signed;
    private readonly bool _hasTrailer;
    private readonly SigV4SigningContext? _signing;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.Ordinal);
    private readonly byte[] _providedSignature;
    private AwsChunkedParser _parser;
    private string _previousSignature;
    private string? _trailerSignature;

    // A signed chunk is gathered here, verified, then handed out from _chunkPosition to _chunkLength.
    private byte[]? _chunk;
    private int _chunkFilled;
    private int _chunkPosition;
    private int _chunkLength;

    private bool _ended;
    private bool _completed;
    private bool _disposed;

    /// <param name="inner">The raw request body.</param>
    /// <param name="contentSha256">The request's x-amz-content-sha256: one of the three STREAMING-* values.</param>
    /// <param name="signing">From the verified request (<see cref="SigV4Result.SigningContext"/>); required for the signed modes.</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length, when the client sent it.</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open on dispose (the server owns the request body).</param>
    public AwsChunkedStream(Stream inner, string contentSha256, SigV4SigningContext? signing, long? decodedContentLength, bool leaveOpen = true)
        : this(CreateReader(inner, leaveOpen), ownsReader: true, contentSha256, signing, decodedContentLength)
    {
    }

    /// <param name="reader">The raw request body (e.g. Kestrel's request BodyReader); not completed on dispose.</param>
    public AwsChunkedStream(PipeReader reader, string contentSha256, SigV4SigningContext? signing, long? decodedContentLength)
        : this(reader, ownsReader: false, contentSha256, signing, decodedContentLength)
    {
    }

    private AwsChunkedStream(PipeReader reader, bool ownsReader, string contentSha256, SigV4SigningContext? signing, long? decodedContentLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!SigV4PayloadHashes.IsStreaming(contentSha256))
        {
            throw new ArgumentException($"'{contentSha256}' is not an aws-chunked payload mode.", nameof(contentSha256));
        }

        _signed = SigV4PayloadHashes.IsSignedStreaming(contentSha256);
        if (_signed && signing is null)
        {
            throw new ArgumentException("Signed aws-chunked bodies need the request's signing context.", nameof(signing));
        }

        _reader = reader;
        _ownsReader = ownsReader;
        _hasTrailer = SigV4PayloadHashes.HasTrailer(contentSha256);
        _signing = signing;
        _previousSignature = signing?.SeedSignature ?? "";
        _providedSignature = _signed ? new byte[AwsChunkedParser.SignatureLength] : [];
        _parser = new AwsChunkedParser(_signed, _hasTrailer, decodedContentLength);
    }

    /// <summary>True once the final chunk (and any trailer) has been read and verified, and the body has ended.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Trailing headers (lowercased names, without x-amz-trailer-signature); available after EOF.</summary>
    public IReadOnlyDictionary<string, string> Trailers =>
        _completed ? _trailers : throw new InvalidOperationException("The aws-chunked body has not been read to the end.");

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_chunkPosition < _chunkLength)
            {
                return HandOut(destination.Span);
            }

            if (_completed)
            {
                return 0;
            }

            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            int written;
            try
            {
                written = Decode(buffer, result.IsCompleted, destination.Span, out consumed, out var needMore);
                if (!needMore)
                {
                    examined = consumed;
                }
            }
            finally
            {
                _reader.AdvanceTo(consumed, examined);
            }

            if (written > 0)
            {
                return written;
            }

            if (result.IsCompleted && !_completed)
            {
                // Unreachable while the parser keeps its contract (a final block never needs more): do not spin.
                throw AwsChunkedErrors.ToS3(AwsChunkedError.Truncated);
            }
        }
    }

    /// <summary>Feeds <paramref name="buffer"/> to the parser until <paramref name="destination"/> is full, a signed
    /// chunk waits to be handed out, or the parser needs more input; returns the bytes written to destination.</summary>
    private int Decode(ReadOnlySequence<byte> buffer, bool isFinalBlock, Span<byte> destination, out SequencePosition consumed, out bool needMore)
    {
        var written = 0;
        needMore = false;
        while (written < destination.Length && _chunkPosition == _chunkLength)
        {
            var status = _parser.Parse(buffer, isFinalBlock, out var token, _signed ? int.MaxValue : destination.Length - written);
            switch (status)
            {
                case AwsChunkedStatus.NeedMoreData:
                    needMore = true;
                    consumed = buffer.Start;
                    return written;
                case AwsChunkedStatus.ChunkHeader when _signed:
                    token.Signature.CopyTo(_providedSignature);
                    RentChunk(token.ChunkSize);
                    break;
                case AwsChunkedStatus.ChunkData when _signed:
                    token.Data.CopyTo(_chunk.AsSpan(_chunkFilled));
                    _chunkFilled += (int)token.Data.Length;
                    break;
                case AwsChunkedStatus.ChunkData:
                    token.Data.CopyTo(destination[written..]);
                    written += (int)token.Data.Length;
                    break;
                case AwsChunkedStatus.ChunkEnd when _signed:
                    VerifyChunkSignature(_chunk.AsSpan(0, _chunkFilled));
                    _chunkPosition = 0;
                    _chunkLength = _chunkFilled;
                    written += HandOut(destination[written..]);
                    break;
                case AwsChunkedStatus.FinalChunk when _signed:
                    token.Signature.CopyTo(_providedSignature);
                    VerifyChunkSignature([]);
                    break;
                case AwsChunkedStatus.Trailer:
                    AddTrailer(token);
                    break;
                case AwsChunkedStatus.Completed:
                    if (!_ended)
                    {
                        _ended = true;
                        VerifyTrailerSignature();
                    }

                    buffer = buffer.Slice(token.Consumed);
                    if (buffer.IsEmpty)
                    {
                        // The end counts only if the body ends here too; anything after it is DataAfterEnd.
                        _completed = isFinalBlock;
                        needMore = !isFinalBlock;
                        if (_completed)
                        {
                            ReturnChunk();
                        }

                        consumed = buffer.Start;
                        return written;
                    }

                    continue;
                case AwsChunkedStatus.Invalid:
                    throw AwsChunkedErrors.ToS3(token.Error);
            }

            buffer = buffer.Slice(token.Consumed);
        }

        consumed = buffer.Start;
        return written;
    }

    private int HandOut(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _chunkLength - _chunkPosition);
        _chunk.AsSpan(_chunkPosition, count).CopyTo(destination);
        _chunkPosition += count;
        return count;
    }

    private void RentChunk(int size)
    {
        if (_chunk is null || _chunk.Length < size)
        {
            ReturnChunk();
            _chunk = ArrayPool<byte>.Shared.Rent(size);
        }

        _chunkFilled = 0;
    }

    private void VerifyChunkSignature(ReadOnlySpan<byte> data)
    {
        var expected = SigV4Signing.ChunkSignature(_signing!, _previousSignature, data);
        if (!SigV4Signing.SignatureEquals(expected, _providedSignature))
        {
            throw AwsChunkedErrors.ToS3(AwsChunkedError.ChunkSignatureMismatch);
        }

        _previousSignature = expected;
    }

    private void AddTrailer(in AwsChunkedToken token)
    {
        var name = Encoding.ASCII.GetString(token.TrailerName).ToLowerInvariant();
        var value = Encoding.Latin1.GetString(token.TrailerValue);
        if (name == TrailerSignatureName)
        {
            if (_trailerSignature is not null)
            {
                throw AwsChunkedErrors.ToS3(AwsChunkedError.TrailerDuplicate);
            }

            _trailerSignature = value;
        }
        else if (!_trailers.TryAdd(name, value))
        {
            throw AwsChunkedErrors.ToS3(AwsChunkedError.TrailerDuplicate);
        }
    }

    private void VerifyTrailerSignature()
    {
        if (!_signed || !_hasTrailer)
        {
            return;
        }

        if (_trailerSignature is null)
        {
            throw AwsChunkedErrors.ToS3(AwsChunkedError.TrailerSignatureMissing);
        }

        var expected = SigV4Signing.TrailerSignature(_signing!, _previousSignature, _trailers);
        if (!SigV4Signing.SignatureEquals(expected, _trailerSignature))
        {
            throw AwsChunkedErrors.ToS3(AwsChunkedError.TrailerSignatureMismatch);
        }
    }

    private static PipeReader CreateReader(Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return PipeReader.Create(inner, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: leaveOpen));
    }

    private void ReturnChunk()
    {
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
            _chunkFilled = 0;
            _chunkLength = 0;
            _chunkPosition = 0;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            ReturnChunk();
            if (_ownsReader)
            {
                _reader.Complete();
            }
        }

        base.Dispose(disposing);
    }
}
