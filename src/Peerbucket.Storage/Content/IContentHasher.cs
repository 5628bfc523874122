namespace Peerbucket.Storage.Content;

/// <summary>Fed an object's bytes in the pass that stores them; <see cref="Finish"/> gives the facts in final form.</summary>
public interface IContentHasher : IDisposable
{
    void Append(ReadOnlySpan<byte> data);

    ContentFacts Finish();
}
