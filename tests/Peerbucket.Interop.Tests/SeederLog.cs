using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The seeder's one log line per closed peer connection, <c>Peer 127.0.0.1:PORT closed (HASH): REASON detail</c>,
/// with REASON a <c>DisconnectReason</c> name. Most reasons are logged at Debug (<see cref="SeederSwarmFixture"/>
/// turns that on).
/// </summary>
public static partial class SeederLog
{
    /// <summary>One closed connection: the remote HOST:PORT as the server saw it, the info-hash ("-" before the
    /// handshake) and the reason.</summary>
    public sealed record Close(string Endpoint, string InfoHash, string Reason);

    /// <summary>Every close logged after character <paramref name="since"/> of the server's output.</summary>
    public static IReadOnlyList<Close> Closes(PeerbucketServer server, int since)
    {
        var output = server.Output;
        return CloseLine().Matches(output, Math.Min(since, output.Length))
            .Select(m => new Close(m.Groups["endpoint"].Value, m.Groups["hash"].Value, m.Groups["reason"].Value))
            .ToList();
    }

    /// <summary>The reason logged for each of <paramref name="endpoints"/> after <paramref name="since"/>; waits up to
    /// <paramref name="timeout"/> for all of them (the console logger writes asynchronously). Endpoints never logged are
    /// missing from the answer.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CloseReasonsAsync(
        PeerbucketServer server, int since, IReadOnlyCollection<string> endpoints, TimeSpan timeout)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var close in Closes(server, since).Where(c => endpoints.Contains(c.Endpoint)))
            {
                reasons[close.Endpoint] = close.Reason;
            }

            if (reasons.Count == endpoints.Count || wait.Elapsed > timeout)
            {
                return reasons;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Peer (?<endpoint>\S+) closed \((?<hash>[0-9a-f]{40}|-)\): (?<reason>\w+)")]
    private static partial Regex CloseLine();
}
