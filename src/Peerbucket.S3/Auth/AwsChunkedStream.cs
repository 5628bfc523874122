using System.Buffers;
using System.Globalization;
using System.Text;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Auth;

/// <summary>Decodes an aws-chunked request body (Content-Encoding: aws-chunked) to the object bytes.
/// For STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) every chunk signature is verified, chained from the seed
/// signature, before any of the chunk's bytes are handed out; the signed trailer is verified too.
/// Failures surface as <see cref="S3Exception"/> (IncompleteBody, InvalidRequest, SignatureDoesNotMatch).</summary>
public sealed class AwsChunkedStream : Stream
{
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const int MaxLineLength = 4096;
    public const int MaxTrailerBytes = 16 * 1024;

    private const string TrailerSignatureName = "x-amz-trailer-signature";
    private const string SignatureExtension = "chunk-signature=";

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly bool _signed;
    private readonly bool _hasTrailer;
    private readonly SigV4SigningContext? _signing;
    private readonly long? _decodedContentLength;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.Ordinal);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);
    private int _bufferStart;
    private int _bufferEnd;
    private bool _innerEof;
    private byte[]? _chunk;
    private int _chunkPosition;
    private int _chunkLength;
    private string _previousSignature = "";
    private long _decoded;
    private bool _completed;
    private bool _disposed;

    /// <param name="inner">The raw request body.</param>
    /// <param name="contentSha256">The request's x-amz-content-sha256: one of the three STREAMING-* values.</param>
    /// <param name="signing">From the verified request (<see cref="SigV4Result.SigningContext"/>); required for the signed modes.</param>
    /// <param name="decodedContentLength">x-amz-decoded-content-length, when the client sent it.</param>
    /// <param name="leaveOpen">Leave <paramref name="inner"/> open on dispose (the server owns the request body).</param>
    public AwsChunkedStream(Stream inner, string contentSha256, SigV4SigningContext? signing, long? decodedContentLength, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!SigV4PayloadHashes.IsStreaming(contentSha256))
        {
            throw new ArgumentException($"'{contentSha256}' is not an aws-chunked payload mode.", nameof(contentSha256));
        }

        _signed = SigV4PayloadHashes.IsSignedStreaming(contentSha256);
        if (_signed && signing is null)
        {
            throw new ArgumentException("Signed aws-chunked bodies need the request's signing context.", nameof(signing));
        }

        _inner = inner;
        _leaveOpen = leaveOpen;
        _hasTrailer = SigV4PayloadHashes.HasTrailer(contentSha256);
        _signing = signing;
        _previousSignature = signing?.SeedSignature ?? "";
        _decodedContentLength = decodedContentLength;
    }

    /// <summary>True once the final chunk (and any trailer) has been read and verified.</summary>
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
        if (destination.Length == 0)
        {
            return 0;
        }

        while (true)
        {
            if (_chunkPosition < _chunkLength)
            {
                var count = Math.Min(destination.Length, _chunkLength - _chunkPosition);
                _chunk.AsSpan(_chunkPosition, count).CopyTo(destination.Span);
                _chunkPosition += count;
                return count;
            }

            if (_completed)
            {
                return 0;
            }

            await ReadNextChunkAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ReadNextChunkAsync(CancellationToken cancellationToken)
    {
        var header = await ReadLineAsync(allowEof: false, cancellationToken).ConfigureAwait(false)
            ?? throw Incomplete();
        var (size, signature) = ParseChunkHeader(header);

        if (size > 0)
        {
            if (_decodedContentLength is { } declared && _decoded + size > declared)
            {
                throw new S3Exception(S3ErrorCode.IncompleteBody, "The aws-chunked body is longer than x-amz-decoded-content-length.");
            }

            if (_chunk is null || _chunk.Length < size)
            {
                ReturnChunk();
                _chunk = ArrayPool<byte>.Shared.Rent(size);
            }

            await FillChunkAsync(size, cancellationToken).ConfigureAwait(false);
            await ExpectCrLfAsync(cancellationToken).ConfigureAwait(false);
        }

        VerifyChunkSignature(_chunk.AsSpan(0, size), signature);
        _decoded += size;
        _chunkPosition = 0;
        _chunkLength = size;
        if (size > 0)
        {
            return;
        }

        if (_decodedContentLength is { } expected && _decoded != expected)
        {
            throw new S3Exception(S3ErrorCode.IncompleteBody, $"The aws-chunked body decoded to {_decoded} bytes; x-amz-decoded-content-length is {expected}.");
        }

        await ReadTrailerSectionAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        ReturnChunk();
    }

    private (int Size, string? Signature) ParseChunkHeader(string line)
    {
        var semicolon = line.IndexOf(';');
        var sizeText = (semicolon < 0 ? line : line[..semicolon]).Trim();
        if (sizeText.Length is 0 or > 16 || !sizeText.All(char.IsAsciiHexDigit))
        {
            throw Malformed($"invalid chunk size '{Truncate(sizeText)}'");
        }

        if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size is < 0 or > MaxChunkSize)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, $"aws-chunked chunks may be at most {MaxChunkSize} bytes.");
        }

        if (!_signed)
        {
            return (size, null);
        }

        var extension = semicolon < 0 ? "" : line[(semicolon + 1)..].Trim();
        if (!extension.StartsWith(SignatureExtension, StringComparison.Ordinal))
        {
            throw Malformed("a chunk header has no chunk-signature");
        }

        return (size, extension[SignatureExtension.Length..].Trim());
    }

    private void VerifyChunkSignature(ReadOnlySpan<byte> data, string? provided)
    {
        if (!_signed)
        {
            return;
        }

        var expected = SigV4Signing.ChunkSignature(_signing!, _previousSignature, data);
        if (!SigV4Signing.SignatureEquals(expected, provided!))
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch, "The chunk signature we calculated does not match the chunk-signature you provided.");
        }

        _previousSignature = expected;
    }

    private async ValueTask ReadTrailerSectionAsync(CancellationToken cancellationToken)
    {
        string? trailerSignature = null;
        var total = 0;
        while (true)
        {
            var line = await ReadLineAsync(allowEof: true, cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            total += line.Length + 2;
            if (total > MaxTrailerBytes)
            {
                throw Malformed($"the trailer exceeds {MaxTrailerBytes} bytes");
            }

            if (line.Length == 0)
            {
                // Some clients put an empty line between the final chunk and the trailer.
                if (_hasTrailer && _trailers.Count == 0 && trailerSignature is null && !await AtEndAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                break;
            }

            if (!_hasTrailer)
            {
                throw Malformed("trailing headers were sent but x-amz-content-sha256 does not announce a trailer");
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw Malformed($"invalid trailer line '{Truncate(line)}'");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == TrailerSignatureName)
            {
                if (trailerSignature is not null)
                {
                    throw Malformed("x-amz-trailer-signature appears twice");
                }

                trailerSignature = value;
            }
            else if (!_trailers.TryAdd(name, value))
            {
                throw Malformed($"the trailer '{name}' appears twice");
            }
        }

        if (_signed && _hasTrailer)
        {
            VerifyTrailerSignature(trailerSignature);
        }
    }

    private void VerifyTrailerSignature(string? provided)
    {
        if (provided is null)
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch, "The trailer has no x-amz-trailer-signature.");
        }

        var expected = SigV4Signing.TrailerSignature(_signing!, _previousSignature, _trailers);
        if (!SigV4Signing.SignatureEquals(expected, provided))
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch, "The trailer signature we calculated does not match the x-amz-trailer-signature you provided.");
        }
    }

    /// <summary>Reads one CRLF-terminated line (without the CRLF). At end of input: null when nothing is buffered and
    /// <paramref name="allowEof"/>; the unterminated rest when <paramref name="allowEof"/>; otherwise IncompleteBody.</summary>
    private async ValueTask<string?> ReadLineAsync(bool allowEof, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffered = _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart);
            var newline = buffered.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                if (newline == 0 || buffered[newline - 1] != '\r')
                {
                    throw Malformed("a line is not terminated by CRLF");
                }

                if (newline - 1 > MaxLineLength)
                {
                    throw Malformed($"a chunk header or trailer line exceeds {MaxLineLength} bytes");
                }

                var line = Encoding.Latin1.GetString(buffered[..(newline - 1)]);
                _bufferStart += newline + 1;
                return line;
            }

            if (buffered.Length > MaxLineLength + 1)
            {
                throw Malformed($"a chunk header or trailer line exceeds {MaxLineLength} bytes");
            }

            if (!await FillBufferAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!allowEof)
                {
                    throw Incomplete();
                }

                var rest = Encoding.Latin1.GetString(_buffer, _bufferStart, _bufferEnd - _bufferStart).TrimEnd('\r');
                _bufferStart = _bufferEnd;
                return rest.Length == 0 ? null : rest;
            }
        }
    }

    private async ValueTask FillChunkAsync(int size, CancellationToken cancellationToken)
    {
        var filled = Math.Min(size, _bufferEnd - _bufferStart);
        _buffer.AsSpan(_bufferStart, filled).CopyTo(_chunk);
        _bufferStart += filled;
        while (filled < size)
        {
            var read = await _inner.ReadAsync(_chunk.AsMemory(filled, size - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _innerEof = true;
                throw Incomplete();
            }

            filled += read;
        }
    }

    private async ValueTask ExpectCrLfAsync(CancellationToken cancellationToken)
    {
        while (_bufferEnd - _bufferStart < 2)
        {
            if (!await FillBufferAsync(cancellationToken).ConfigureAwait(false))
            {
                throw Incomplete();
            }
        }

        if (_buffer[_bufferStart] != '\r' || _buffer[_bufferStart + 1] != '\n')
        {
            throw Malformed("chunk data is not followed by CRLF (the chunk is longer than its declared size)");
        }

        _bufferStart += 2;
    }

    private async ValueTask<bool> AtEndAsync(CancellationToken cancellationToken) =>
        _bufferStart == _bufferEnd && !await FillBufferAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads more of the inner stream into the buffer; false at end of input.</summary>
    private async ValueTask<bool> FillBufferAsync(CancellationToken cancellationToken)
    {
        if (_innerEof)
        {
            return false;
        }

        if (_bufferStart > 0)
        {
            _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart).CopyTo(_buffer);
            _bufferEnd -= _bufferStart;
            _bufferStart = 0;
        }

        var read = await _inner.ReadAsync(_buffer.AsMemory(_bufferEnd), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _innerEof = true;
            return false;
        }

        _bufferEnd += read;
        return true;
    }

    private static S3Exception Incomplete() =>
        new(S3ErrorCode.IncompleteBody, "The aws-chunked body ended before its final chunk.");

    private static S3Exception Malformed(string problem) =>
        new(S3ErrorCode.InvalidRequest, $"Malformed aws-chunked body: {problem}.");

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private void ReturnChunk()
    {
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
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
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
