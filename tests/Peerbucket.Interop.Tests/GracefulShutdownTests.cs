using System.Net;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>SIGTERM lets in-flight requests finish, then the server exits 0.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermOfIdleServerExitsZero()
    {
        var server = await PeerbucketServer.StartAsync();
        await using (server)
        {
            using var client = server.CreateClient();
            await client.PutBucketAsync("idle");
            var exitCode = await server.StopAsync();
            Assert.True(exitCode == 0, $"exit code {exitCode} after SIGTERM:\n{server.Output}");
        }
    }

    /// <summary>The upload (2 MiB at 512 KiB/s) is still streaming for about 3.5 s after SIGTERM, well within the host's 30 s drain.</summary>
    [Fact]
    public async Task SigtermDrainsInFlightUploadAndExitsZero()
    {
        using var data = new TempDirectory("pb-drain");
        var bytes = Files.RandomBytes(2 * Files.MiB, seed: 901);
        await using (var server = await PeerbucketServer.StartAsync(data.Path))
        {
            using var client = server.CreateClient();
            await client.PutBucketAsync("drain");
            var upload = client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = "drain",
                Key = "slow.bin",
                InputStream = new ThrottledStream(bytes, bytesPerSecond: 512 * 1024),
            });
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            Assert.False(upload.IsCompleted, "the upload finished before SIGTERM: nothing was in flight");

            await server.SendTerminateAsync();
            var sinceTerm = System.Diagnostics.Stopwatch.StartNew();
            var response = await upload;
            var uploadDone = sinceTerm.Elapsed;
            Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
            Assert.True(uploadDone > TimeSpan.FromSeconds(2.5), $"the upload was answered {uploadDone.TotalSeconds:F1} s after SIGTERM: too soon to test the drain");
            var exitCode = await server.StopAsync();
            Assert.True(exitCode == 0,
                $"exit code {exitCode} after SIGTERM (upload answered {uploadDone.TotalSeconds:F1} s after SIGTERM, exit after {sinceTerm.Elapsed.TotalSeconds:F1} s):\n{server.Output}");
        }

        await using var restarted = await PeerbucketServer.StartAsync(data.Path);
        using var after = restarted.CreateClient();
        using var get = await after.GetObjectAsync("drain", "slow.bin");
        using var buffer = new MemoryStream();
        await get.ResponseStream.CopyToAsync(buffer);
        Assert.Equal(bytes, buffer.ToArray());
    }
}
