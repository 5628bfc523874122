namespace Peerbucket.Interop.Tests;

/// <summary>A server with tracker, seeder and virtual-hosted style (<c>--domain s3.test</c>) for the authorization matrix.</summary>
public sealed class AuthorizationMatrixFixture : TorrentServerFixture
{
    public const string Domain = "s3.test";

    protected override IReadOnlyList<string> ServerArguments { get; } = ["--domain", Domain];
}
