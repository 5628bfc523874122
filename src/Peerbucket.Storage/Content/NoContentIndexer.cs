namespace Peerbucket.Storage.Content;

/// <summary>Derives nothing: a store with no layer above it (tests of the store and the S3 front end alone).</summary>
internal sealed class NoContentIndexer : IContentIndexer
{
    public static readonly NoContentIndexer Instance = new();

    public IContentHasher? CreateHasher(string key, long length) => null;

    public ContentFacts Reindex(string key, byte[] facts) => new(facts, []);
}
