using System.Security.Cryptography;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Http;

/// <summary>Passes a body through while hashing it; at its end, throws XAmzContentSHA256Mismatch unless it hashed to the declared value.</summary>
internal sealed class Sha256CheckingStream(Stream inner, byte[] expected) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        if (read > 0)
        {
            _hash.AppendData(buffer.Span[..read]);
        }
        else if (!_checked)
        {
            _checked = true;
            if (!CryptographicOperations.FixedTimeEquals(_hash.GetHashAndReset(), expected))
            {
                throw new S3Exception(S3ErrorCode.XAmzContentSHA256Mismatch);
            }
        }

        return read;
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
