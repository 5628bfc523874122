namespace Peerbucket.Storage.Changes;

/// <summary>
/// The store's change notices: raised by the repositories after each commit that may change an object's bytes or who
/// may read it, synchronously, before the committing call returns (so a caller that got its answer knows every
/// subscriber has heard). Subscribers must be quick and must not throw.
/// </summary>
public sealed class ObjectChanges
{
    public event Action<ObjectChange>? Changed;

    internal void Publish(string bucket, string? key) => Changed?.Invoke(new ObjectChange(bucket, key));
}
