using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>kill -9 during concurrent uploads: after a restart every acknowledged object is whole, and nothing is partial.</summary>
public sealed class CrashRecoveryTests
{
    private const int Uploads = 16;

    [Fact]
    public async Task AcknowledgedUploadsSurviveKillNineAndNoListedObjectIsPartial()
    {
        using var data = new TempDirectory("pb-crash");
        var acknowledged = new ConcurrentDictionary<string, string>();
        var expected = new Dictionary<string, byte[]>();
        await using (var server = await PeerbucketServer.StartAsync(data.Path))
        {
            using var client = server.CreateClient();
            await client.PutBucketAsync("crash");
            var uploads = new List<Task>();
            for (var i = 0; i < Uploads; i++)
            {
                var key = $"obj-{i:D2}.bin";
                var bytes = Files.RandomBytes((1 + (i % 4)) * Files.MiB + (i * 4099), seed: 700 + i);
                expected[key] = bytes;
                var delay = TimeSpan.FromMilliseconds(i * 120);
                uploads.Add(Task.Run(async () =>
                {
                    await Task.Delay(delay);
                    try
                    {
                        var response = await client.PutObjectAsync(new PutObjectRequest
                        {
                            BucketName = "crash",
                            Key = key,
                            InputStream = new ThrottledStream(bytes, bytesPerSecond: Files.MiB),
                        });
                        if (response.HttpStatusCode == HttpStatusCode.OK)
                        {
                            acknowledged[key] = response.ETag;
                        }
                    }
                    catch (AmazonServiceException)
                    {
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (IOException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }));
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 4 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            await server.KillAsync();
            await Task.WhenAll(uploads);
        }

        Assert.True(acknowledged.Count >= 1, "no upload was acknowledged before the kill");
        Assert.True(acknowledged.Count < Uploads, "every upload finished before the kill: nothing was in flight");

        await using var restarted = await PeerbucketServer.StartAsync(data.Path);
        using var after = restarted.CreateClient();
        foreach (var (key, etag) in acknowledged)
        {
            var bytes = await GetAsync(after, key);
            Assert.True(bytes.AsSpan().SequenceEqual(expected[key]), $"acknowledged {key} reads back different bytes ({bytes.Length} of {expected[key].Length})");
            Assert.Equal($"\"{Files.Md5Hex(expected[key])}\"", etag);
        }

        var listed = await after.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "crash" });
        var objects = listed.S3Objects ?? [];
        Assert.True(objects.Count >= acknowledged.Count);
        foreach (var listedObject in objects)
        {
            var bytes = await GetAsync(after, listedObject.Key);
            Assert.Equal(listedObject.Size, bytes.Length);
            Assert.Equal(listedObject.ETag, $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"");
            Assert.True(bytes.AsSpan().SequenceEqual(expected[listedObject.Key]), $"listed {listedObject.Key} is not the uploaded bytes");
        }
    }

    private static async Task<byte[]> GetAsync(AmazonS3Client client, string key)
    {
        using var response = await client.GetObjectAsync("crash", key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
