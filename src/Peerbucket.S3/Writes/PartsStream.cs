using Microsoft.Win32.SafeHandles;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Writes;

/// <summary>The bytes of a multipart upload's parts, one after another: each part's blob opened when it is reached
/// and closed after, so an upload of 10,000 parts holds one file handle at a time.</summary>
internal sealed class PartsStream(BlobStore blobs, IReadOnlyList<PartRecord> parts) : ReadOnlyStream
{
    private int _index = -1;
    private SafeFileHandle? _file;
    private long _offset;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_file is null || _offset == parts[_index].Size)
        {
            _file?.Dispose();
            _file = null;
            if (_index + 1 >= parts.Count)
            {
                _index = parts.Count;
                return 0;
            }

            _index++;

            _offset = 0;
            _file = blobs.TryOpenRead(parts[_index].BlobId) ?? throw MissingPart();
        }

        var want = (int)Math.Min(buffer.Length, parts[_index].Size - _offset);
        var read = await RandomAccess.ReadAsync(_file, buffer[..want], _offset, cancellationToken);
        if (read == 0)
        {
            throw MissingPart();
        }

        _offset += read;
        return read;
    }

    private S3Exception MissingPart() => new(S3ErrorCode.InvalidPart, $"The bytes of part {parts[_index].PartNumber} are missing; upload it again.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
        }

        base.Dispose(disposing);
    }
}
