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
    /// <summary>The reason logged for each of <paramref name="endpoints"/> (remote HOST:PORT as the server saw it) in the
    /// output written after <paramref name="since"/>; waits up to <paramref name="timeout"/> for all of them (the
    /// console logger writes asynchronously). Endpoints never logged are missing from the answer.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> CloseReasonsAsync(
        PeerbucketServer server, int since, IReadOnlyCollection<string> endpoints, TimeSpan timeout)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            var output = server.Output;
            foreach (Match match in CloseLine().Matches(output, Math.Min(since, output.Length)))
            {
                var endpoint = match.Groups["endpoint"].Value;
                if (endpoints.Contains(endpoint))
                {
                    reasons[endpoint] = match.Groups["reason"].Value;
                }
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
