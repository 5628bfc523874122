namespace Peerbucket.Interop.Tests;

/// <summary>Test classes in this collection share one running server (each test uses its own buckets).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
