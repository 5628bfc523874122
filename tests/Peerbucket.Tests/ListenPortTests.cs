using Microsoft.Extensions.Configuration;
using Peerbucket.Hosting;

namespace Peerbucket.Tests;

public sealed class ListenPortTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("6969", 6969)]
    [InlineData("65535", 65535)]
    [InlineData(" 7 ", 7)]
    public void ParsesPortNumbersWithZeroForAFreePort(string text, int expected)
    {
        Assert.True(ListenPort.TryParse(text, out var port));
        Assert.Equal(expected, port.Number);
        Assert.False(port.IsOff);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public void ParsesOff(string text)
    {
        Assert.True(ListenPort.TryParse(text, out var port));
        Assert.True(port.IsOff);
        Assert.Null(port.Number);
        Assert.Equal("off", port.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("65536")]
    [InlineData("99999999999")]
    [InlineData("1.5")]
    [InlineData("auto")]
    public void RejectsAnythingElse(string? text) => Assert.False(ListenPort.TryParse(text, out _));

    [Fact]
    public void ConfigurationBindsNumbersAndOff()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Peerbucket:TrackerPort"] = "off", ["Peerbucket:PeerPort"] = "0" })
            .Build();
        var options = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>()!;
        Assert.True(options.TrackerPort.IsOff);
        Assert.Equal(ListenPort.Free, options.PeerPort);
    }

    [Fact]
    public void ConfigurationNamesTheValueItCannotBind()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Peerbucket:TrackerPort"] = "none" })
            .Build();
        var error = Assert.Throws<InvalidOperationException>(() => configuration.GetSection(ServerOptions.Section).Get<ServerOptions>());
        Assert.Contains("'none' is not a port", error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsAreTheWellKnownPorts()
    {
        var options = new ServerOptions();
        Assert.Equal(6969, options.TrackerPort.Number);
        Assert.Equal(6881, options.PeerPort.Number);
    }
}
