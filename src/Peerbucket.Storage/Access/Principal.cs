namespace Peerbucket.Storage.Access;

/// <summary>Who is asking: the store's owner (a verified access key) or anyone at all.</summary>
public sealed record Principal(string? AccessKey)
{
    public static readonly Principal Anonymous = new((string?)null);

    public bool IsAnonymous => AccessKey is null;
}
