namespace Peerbucket.Interop.Tests;

/// <summary>AWS SDK for JavaScript v3 (@aws-sdk/client-s3 from js/package-lock.json) under node, default checksum settings.</summary>
[Collection(ServerCollection.Name)]
public sealed class JsSdkTests(ServerFixture fixture) : IDisposable
{
    private readonly TempDirectory home = new("pb-js");

    public void Dispose() => home.Dispose();

    [RequiresToolFact("node", "npm:@aws-sdk/client-s3")]
    public async Task CreatePutGetMultipartListDeleteWithDefaultSettings()
    {
        var result = await Tool.RunCheckedAsync("node", [Path.Combine(ToolPaths.JsDirectory, "s3_check.mjs"), fixture.Endpoint, fixture.NewBucketName("js")],
            ToolEnvironment.ForS3(fixture.Server, home.Path), workingDirectory: ToolPaths.JsDirectory);
        Assert.Contains("js sdk ok", result.Stdout, StringComparison.Ordinal);
    }
}
