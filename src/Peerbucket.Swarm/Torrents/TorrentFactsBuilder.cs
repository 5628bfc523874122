using Peerbucket.Protocols.Metainfo;
using Peerbucket.S3.Http;

namespace Peerbucket.Swarm.Torrents;

/// <summary>Feeds the write pass into a <see cref="TorrentHasher"/>; the result is the serialized <see cref="TorrentFacts"/>.</summary>
public sealed class TorrentFactsBuilder(long pieceLength) : IContentFacts
{
    private readonly TorrentHasher _hasher = new(pieceLength);

    public void Append(ReadOnlySpan<byte> data) => _hasher.Append(data);

    public byte[] Finish() => _hasher.Finish().Serialize();

    public void Dispose() => _hasher.Dispose();
}
