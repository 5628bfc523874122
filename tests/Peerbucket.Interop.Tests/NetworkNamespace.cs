using System.Globalization;
using System.Net;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// A network namespace joined to the root namespace by a veth pair: the root end gets 10.77.N.1/24, the namespace end
/// 10.77.N.2/24 (N a /24 no interface here uses yet), and the namespace's lo is up. Nothing is routed beyond the pair.
/// Needs root (CAP_NET_ADMIN) and iproute2. Dispose kills what still runs inside, then deletes the link and namespace.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private static int counter;
    private readonly string hostLink;

    private NetworkNamespace(string name, string hostLink, IPAddress hostAddress, IPAddress innerAddress)
    {
        Name = name;
        this.hostLink = hostLink;
        HostAddress = hostAddress;
        InnerAddress = innerAddress;
    }

    public string Name { get; }

    /// <summary>The root namespace's end of the veth pair.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>The namespace's end of the veth pair.</summary>
    public IPAddress InnerAddress { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        var serial = Interlocked.Increment(ref counter);
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId % 100000}x{serial}");
        var name = "pb-ns-" + id;
        var hostLink = "pbh" + id;
        var innerLink = "pbn" + id;
        var subnet = await FreeSubnetAsync(Environment.ProcessId + (serial * 37));
        var created = new NetworkNamespace(name, hostLink, IPAddress.Parse($"10.77.{subnet}.1"), IPAddress.Parse($"10.77.{subnet}.2"));
        try
        {
            await Ip("netns", "add", name);
            await Ip("link", "add", hostLink, "type", "veth", "peer", "name", innerLink);
            await Ip("link", "set", innerLink, "netns", name);
            await Ip("addr", "add", $"{created.HostAddress}/24", "dev", hostLink);
            await Ip("link", "set", hostLink, "up");
            await Ip("-n", name, "addr", "add", $"{created.InnerAddress}/24", "dev", innerLink);
            await Ip("-n", name, "link", "set", innerLink, "up");
            await Ip("-n", name, "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds 10.77.N.<paramref name="host"/> to the root namespace's end of the pair (another client address
    /// the namespace can reach, as a second host on the same LAN would be) and returns it.</summary>
    public async Task<IPAddress> AddHostAddressAsync(int host)
    {
        var bytes = HostAddress.GetAddressBytes();
        bytes[3] = (byte)host;
        var address = new IPAddress(bytes);
        await Ip("addr", "add", $"{address}/24", "dev", hostLink);
        return address;
    }

    public async ValueTask DisposeAsync()
    {
        var pids = await Tool.RunAsync("ip", ["netns", "pids", Name], timeout: TimeSpan.FromSeconds(10));
        foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await Tool.RunAsync("kill", ["-KILL", pid], timeout: TimeSpan.FromSeconds(10));
        }

        // Deleting one end of a veth pair deletes both; a failed create may have left either, or nothing.
        await Tool.RunAsync("ip", ["link", "del", hostLink], timeout: TimeSpan.FromSeconds(10));
        await Tool.RunAsync("ip", ["netns", "del", Name], timeout: TimeSpan.FromSeconds(10));
    }

    private static Task<ToolResult> Ip(params string[] arguments) =>
        Tool.RunCheckedAsync("ip", arguments, timeout: TimeSpan.FromSeconds(10));

    /// <summary>A third octet N such that no address or route here is in 10.77.N.0/24 (other test runs may hold some).</summary>
    private static async Task<int> FreeSubnetAsync(int seed)
    {
        var addresses = (await Tool.RunCheckedAsync("ip", ["-4", "-o", "addr", "show"])).Stdout
            + (await Tool.RunCheckedAsync("ip", ["-4", "route", "show"])).Stdout;
        var start = seed % 250;
        for (var i = 0; i < 250; i++)
        {
            var subnet = ((start + i) % 250) + 1;
            if (!addresses.Contains($"10.77.{subnet}.", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("no free /24 in 10.77.0.0/16");
    }
}
