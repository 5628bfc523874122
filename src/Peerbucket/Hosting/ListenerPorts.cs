using System.Globalization;

namespace Peerbucket.Hosting;

/// <summary>
/// Where the server listens, with the ports actually bound (a port configured as 0 shows the one the OS picked):
/// printed once at start-up and reported by <c>/_health</c>.
/// </summary>
/// <param name="Http">The S3 API's listen URL.</param>
/// <param name="Tracker">The tracker's port, HTTP and UDP; null when off.</param>
/// <param name="Peer">The seeder's port; null when off.</param>
internal sealed record ListenerPorts(Uri Http, int? Tracker, int? Peer)
{
    /// <summary>The start-up line, one line on stdout once every listener is up:
    /// <c>Listening: http=http://127.0.0.1:9000 tracker=6969 peer=6881</c> (<c>off</c> for a listener that is off).</summary>
    public string StartupLine => $"Listening: http={HttpText} tracker={Text(Tracker)} peer={Text(Peer)}";

    /// <summary>The body of <c>/_health</c>: <c>ok</c>, then one <c>name=value</c> line per listener, as in the
    /// start-up line.</summary>
    public string HealthText => $"ok\nhttp={HttpText}\ntracker={Text(Tracker)}\npeer={Text(Peer)}\n";

    private string HttpText => Http.GetLeftPart(UriPartial.Authority);

    private static string Text(int? port) => port?.ToString(CultureInfo.InvariantCulture) ?? "off";
}
