namespace Peerbucket.Interop.Tests;

/// <summary>A server as the offload benchmark runs it: 256 KiB pieces, the seeder capped at 4 MiB/s, the default
/// (thrifty) origin policy, the request log on.</summary>
public sealed class OffloadServerFixture : TorrentServerFixture
{
    protected override IReadOnlyDictionary<string, string> ServerEnvironment => RequestLog.Environment;

    protected override IReadOnlyList<string> ServerArguments { get; } = ["--piece-length", "262144", "--max-upload-rate", "4M"];
}
