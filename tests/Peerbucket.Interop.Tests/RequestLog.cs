using System.Globalization;
using System.Text.RegularExpressions;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The server's request log: ASP.NET Core's hosting diagnostics turned on to Information through the environment, one
/// "Request finished HTTP/1.1 GET http://HOST/PATH - STATUS LENGTH ..." line per request. The logged path is the decoded
/// one (spaces and '+' as they are in the key); the host is the Host header as the client sent it.
/// </summary>
public static class RequestLog
{
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    /// <summary>Status and Content-Length of every finished GET of exactly <paramref name="path"/> (no query string).</summary>
    public static IReadOnlyList<(int Status, long Length)> Gets(string serverOutput, string path) => Matching(serverOutput, Regex.Escape(path));

    /// <summary>The same for every GET of a path under <paramref name="prefix"/> (however the rest is escaped in the log).</summary>
    public static IReadOnlyList<(int Status, long Length)> GetsUnder(string serverOutput, string prefix) =>
        Matching(serverOutput, Regex.Escape(prefix) + @"\S*");

    private static IReadOnlyList<(int Status, long Length)> Matching(string serverOutput, string pathPattern)
    {
        var pattern = new Regex(@"Request finished HTTP/\S+ GET http://[^/\s]*" + pathPattern + @" - (\d{3}) (\d+) ");
        return pattern.Matches(serverOutput)
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
    }
}
