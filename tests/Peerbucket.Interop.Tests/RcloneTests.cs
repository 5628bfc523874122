namespace Peerbucket.Interop.Tests;

/// <summary>rclone (provider Other, path style, UNSIGNED-PAYLOAD + Content-MD5), run without AWS_CA_BUNDLE.</summary>
[Collection(ServerCollection.Name)]
public sealed class RcloneTests(ServerFixture fixture) : IDisposable
{
    private readonly TempDirectory home = new("pb-rclone");

    public void Dispose() => home.Dispose();

    [RequiresToolFact("rclone")]
    public async Task MkdirCopyMultipartLsCheckCopyBackDeleteRmdir()
    {
        var bucket = fixture.NewBucketName("rclone");
        var source = home.Combine("src");
        Files.Write(Path.Combine(source, "a.txt"), "rclone alpha\n"u8.ToArray());
        Files.Write(Path.Combine(source, "sub", "b.bin"), Files.RandomBytes(100_000, seed: 501));
        Files.Write(Path.Combine(source, "sub", "big.bin"), Files.RandomBytes(12 * Files.MiB, seed: 502));

        await RcloneAsync("mkdir", $"pb:{bucket}");
        await RcloneAsync("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", source, $"pb:{bucket}/data");

        var lsf = await RcloneAsync("lsf", "-R", "--files-only", $"pb:{bucket}");
        Assert.Equal(["data/a.txt", "data/sub/b.bin", "data/sub/big.bin"],
            lsf.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var ls = await RcloneAsync("ls", $"pb:{bucket}");
        Assert.Contains($"{12 * Files.MiB} data/sub/big.bin", ls.Stdout, StringComparison.Ordinal);

        await RcloneAsync("check", source, $"pb:{bucket}/data");

        var back = home.Combine("back");
        await RcloneAsync("copy", $"pb:{bucket}/data", back);
        Assert.Equal(Files.ReadTree(source), Files.ReadTree(back));

        await RcloneAsync("delete", $"pb:{bucket}");
        var after = await RcloneAsync("lsf", "-R", "--files-only", $"pb:{bucket}");
        Assert.Equal("", after.Stdout.Trim());
        await RcloneAsync("rmdir", $"pb:{bucket}");
        var buckets = await RcloneAsync("lsd", "pb:");
        Assert.DoesNotContain(bucket, buckets.Stdout, StringComparison.Ordinal);
    }

    private async Task<ToolResult> RcloneAsync(params string[] arguments)
    {
        var config = home.Combine("rclone.conf");
        if (!File.Exists(config))
        {
            File.WriteAllText(config, $"""
                [pb]
                type = s3
                provider = Other
                endpoint = {fixture.Endpoint}
                force_path_style = true
                access_key_id = {fixture.AccessKey}
                secret_access_key = {fixture.SecretKey}
                region = us-east-1
                """ + "\n");
        }

        return await Tool.RunCheckedAsync("rclone", ["--config", config, "--low-level-retries", "1", "--retries", "1", .. arguments],
            ToolEnvironment.ForS3(fixture.Server, home.Path));
    }
}
