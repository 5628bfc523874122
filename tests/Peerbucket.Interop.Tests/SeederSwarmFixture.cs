namespace Peerbucket.Interop.Tests;

/// <summary>A <see cref="TorrentServerFixture"/> whose seeder logs every closed peer connection (Debug for its
/// category), so tests can check the reason the server recorded for each connection (<see cref="SeederLog"/>).</summary>
public sealed class SeederSwarmFixture : TorrentServerFixture
{
    protected override IReadOnlyDictionary<string, string> ServerEnvironment { get; } =
        new Dictionary<string, string> { ["Logging__LogLevel__Peerbucket.Swarm.Seeder"] = "Debug" };
}
