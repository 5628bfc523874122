using System.Net;

namespace Peerbucket.Interop.Tests;

/// <summary>How <see cref="PeerbucketServer.LaunchAsync"/> starts a server: data directory (null: a temp dir the server
/// deletes), listen address of the S3 API (the tracker and seeder bind the same one), extra environment and arguments.</summary>
public sealed record ServerLaunch
{
    public string? DataDirectory { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Arguments { get; init; } = [];
}
