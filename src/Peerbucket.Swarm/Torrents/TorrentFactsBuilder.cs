using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage.Content;

namespace Peerbucket.Swarm.Torrents;

/// <summary>Feeds the write pass into a <see cref="TorrentHasher"/>; the result is the serialized
/// <see cref="TorrentFacts"/> with the object's info-hashes as its index keys, computed from the facts in hand.</summary>
internal sealed class TorrentFactsBuilder(string key, long pieceLength) : IContentHasher
{
    private readonly TorrentHasher _hasher = new(pieceLength);

    public void Append(ReadOnlySpan<byte> data) => _hasher.Append(data);

    public ContentFacts Finish()
    {
        var facts = _hasher.Finish();
        return new ContentFacts(facts.Serialize(), TorrentCatalog.InfoHashesFor(key, facts));
    }

    public void Dispose() => _hasher.Dispose();
}
