using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Peerbucket.Swarm;

namespace Peerbucket.Hosting;

/// <summary>
/// At most <c>--max-connections-per-address</c> open HTTP connections (S3, web seed, tracker) per remote address: a
/// Kestrel connection middleware counts them, and a connection over the cap is marked so that every request on it is
/// answered with the protocol's own "slow down" (<see cref="IsOver"/>: S3 <c>503 SlowDown</c>, a tracker failure) and
/// the connection closed. One address cannot take every socket and buffer of the server.
/// </summary>
internal sealed class ConnectionCap(int maxPerAddress)
{
    private const string OverCapItem = "peerbucket.over-connection-cap";
    private readonly OpenCounts<IPAddress> _open = new();

    public int MaxPerAddress => maxPerAddress;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection);
            return;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var count = _open.Open(address);
        try
        {
            if (count > maxPerAddress)
            {
                connection.Items[OverCapItem] = true;
            }

            await next(connection);
        }
        finally
        {
            _open.Close(address);
        }
    };

    /// <summary>True when the request came on a connection over the cap.</summary>
    public static bool IsOver(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(OverCapItem) == true;
}
