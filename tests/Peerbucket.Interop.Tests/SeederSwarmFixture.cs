namespace Peerbucket.Interop.Tests;

/// <summary>A <see cref="TorrentServerFixture"/> whose seeder logs every closed peer connection (Debug for its
/// category), so tests can check the reason the server recorded for each connection (<see cref="SeederLog"/>). Its
/// origin policy serves every request it may (<c>fast</c>), so the tests see the seeder's own decisions (framing,
/// deadlines, write timeouts, floods, authorization), not the thrifty origin's refusals. Under <c>thrifty</c> a
/// choked peer gets no allowed-fast set and a request for a piece its crowd holds is refused, so a peer that never
/// reads is never written to and cannot meet the write timeout; those refusals are tested in Swarm.Tests
/// (SuperSeedingTests) and by the offload tests.</summary>
public sealed class SeederSwarmFixture : TorrentServerFixture
{
    protected override IReadOnlyDictionary<string, string> ServerEnvironment { get; } =
        new Dictionary<string, string> { ["Logging__LogLevel__Peerbucket.Swarm.Seeder"] = "Debug" };

    protected override IReadOnlyList<string> ServerArguments { get; } = ["--origin-policy", "fast"];
}
