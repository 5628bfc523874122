namespace Peerbucket.Interop.Tests;

/// <summary>A <see cref="TorrentServerFixture"/> with the request log on, for the web-seed tests.</summary>
public sealed class WebSeedServerFixture : TorrentServerFixture
{
    protected override IReadOnlyDictionary<string, string> ServerEnvironment => RequestLog.Environment;
}
