using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

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
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public int MaxPerAddress => maxPerAddress;

    /// <summary>Open connections of <paramref name="address"/> now.</summary>
    public int OpenFrom(IPAddress address) => _open.GetValueOrDefault(address);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection);
            return;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var count = _open.AddOrUpdate(address, 1, (_, c) => c + 1);
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
            _open.AddOrUpdate(address, 0, (_, c) => c - 1);
            _open.TryRemove(KeyValuePair.Create(address, 0));
        }
    };

    /// <summary>True when the request came on a connection over the cap.</summary>
    public static bool IsOver(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(OverCapItem) == true;
}
