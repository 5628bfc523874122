namespace Peerbucket.S3.Http;

/// <summary>
/// Facts computed from an object's bytes in the same pass that stores them (the torrent layer's piece hashes).
/// Storage keeps the result as an opaque blob beside the object.
/// </summary>
public interface IContentFacts : IDisposable
{
    void Append(ReadOnlySpan<byte> data);

    byte[] Finish();
}
