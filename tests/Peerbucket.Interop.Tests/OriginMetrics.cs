using System.Globalization;
using System.Text.RegularExpressions;

namespace Peerbucket.Interop.Tests;

/// <summary>What the origin sent of one object, read from the server's /_metrics
/// (peerbucket_object_egress_bytes_total, one line per path: seeder, web_seed, range_get, plain_get).</summary>
public static partial class OriginMetrics
{
    /// <summary>Bytes sent by <paramref name="via"/> (every path summed when null).</summary>
    public static async Task<long> BytesAsync(PeerbucketServer server, string bucket, string key, string? via = null)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"{server.Endpoint}/_metrics");
        return ObjectEgress().Matches(metrics)
            .Where(m => m.Groups["bucket"].Value == bucket && m.Groups["key"].Value == key && (via is null || m.Groups["via"].Value == via))
            .Sum(m => long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Every /_metrics line of the object, for a failure message.</summary>
    public static async Task<string> LinesAsync(PeerbucketServer server, string bucket, string key)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"{server.Endpoint}/_metrics");
        return string.Join(", ", metrics.Split('\n').Where(l => l.Contains($"bucket=\"{bucket}\",key=\"{key}\"", StringComparison.Ordinal)));
    }

    [GeneratedRegex("^peerbucket_object_egress_bytes_total\\{bucket=\"(?<bucket>[^\"]*)\",key=\"(?<key>[^\"]*)\",via=\"(?<via>[a-z_]+)\"\\} (?<bytes>\\d+)$", RegexOptions.Multiline)]
    private static partial Regex ObjectEgress();
}
