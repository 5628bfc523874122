using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>/_metrics (Prometheus text): the origin egress of each public object by path — seeder, range GETs (web
/// seeds), plain GETs — as real clients pull it; private objects never named.</summary>
public sealed partial class MetricsTests(TorrentServerFixture fixture) : IClassFixture<TorrentServerFixture>, IDisposable
{
    private const int Size = (3 * 1024 * 1024) + 777;
    private readonly TempDirectory temp = new("pb-metrics");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    private async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(Server.Endpoint + "/_metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The last-resort handler's count (no test may produce one: PeerbucketServer fails at dispose if any).</summary>
    [Fact]
    public async Task InternalErrorsAreACounterAtZero()
    {
        var metrics = await MetricsAsync();
        Assert.Contains("# TYPE peerbucket_internal_errors_total counter\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\npeerbucket_internal_errors_total 0\n", metrics, StringComparison.Ordinal);
    }

    private static long Sample(string metrics, string bucket, string key, string via)
    {
        var line = $"peerbucket_object_egress_bytes_total{{bucket=\"{bucket}\",key=\"{key}\",via=\"{via}\"}} ";
        var at = metrics.IndexOf(line, StringComparison.Ordinal);
        return at < 0 ? -1 : long.Parse(metrics[(at + line.Length)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Total(string metrics, string via) =>
        long.Parse(TotalLine().Matches(metrics).Single(m => m.Groups[1].Value == via).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^peerbucket_egress_bytes_total\\{via=\"([a-z_]+)\"\\} (\\d+)$", RegexOptions.Multiline)]
    private static partial Regex TotalLine();

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task CountsSeederRangeAndPlainGetBytesPerPublicObjectAndHidesPrivateOnes()
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("metrics");
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, 4242);
        await Torrents.PutPublicAsync(client, bucket, "pub.bin", data);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret.bin", ContentBody = "private bytes" });
        var before = await MetricsAsync();

        // Plain GET and one range, anonymously.
        using var http = new HttpClient();
        var url = Torrents.ObjectUrl(Server, bucket, "pub.bin");
        Assert.Equal(Size, (await http.GetByteArrayAsync(url)).Length);
        using (var ranged = new HttpRequestMessage(HttpMethod.Get, url))
        {
            ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
            using var response = await http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        }

        // The private object, read by its owner.
        using (var secret = await client.GetObjectAsync(bucket, "secret.bin"))
        {
            using var reader = new StreamReader(secret.ResponseStream);
            Assert.Equal("private bytes", await reader.ReadToEndAsync());
        }

        // The whole object from the seeder alone (web seed and trackers dropped by download.py).
        var (torrent, _) = await Torrents.FetchAsync(Server, bucket, "pub.bin", temp.Path);
        var save = temp.Combine("lt");
        Directory.CreateDirectory(save);
        var result = await Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("download.py"), torrent, save, "--peer", $"127.0.0.1:{fixture.PeerPort}", "--timeout", "60"],
            timeout: TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, $"{result.CommandLine}\n{result.Stdout}\n{result.Stderr}\n{Server.Output}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, "pub.bin"))));

        var after = await MetricsAsync();
        Assert.Equal(Size, Sample(after, bucket, "pub.bin", "plain_get"));
        Assert.Equal(1000, Sample(after, bucket, "pub.bin", "range_get"));
        var seeded = Sample(after, bucket, "pub.bin", "seeder");
        Assert.True(seeded >= Size, $"seeder bytes {seeded} < object size {Size}");
        Assert.DoesNotContain("secret.bin", after, StringComparison.Ordinal);
        Assert.True(Total(after, "plain_get") - Total(before, "plain_get") >= Size + "private bytes".Length);
        Assert.True(Total(after, "seeder") - Total(before, "seeder") >= Size);

        // Made private, the object disappears from the page (its bytes stay in the totals).
        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "pub.bin", ACL = Amazon.S3.S3CannedACL.Private });
        var hidden = await MetricsAsync();
        Assert.Equal(-1, Sample(hidden, bucket, "pub.bin", "plain_get"));
        Assert.True(Total(hidden, "plain_get") >= Total(after, "plain_get"));
    }
}
