namespace Peerbucket.S3.Http;

/// <summary>Makes a <see cref="IContentFacts"/> for an object of a known length (null: no facts for this object).</summary>
public interface IContentFactsFactory
{
    IContentFacts? Create(long length);
}
