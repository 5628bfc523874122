using Peerbucket.Protocols.Magnet;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Magnet;

public sealed class MagnetUriTests
{
    private static readonly byte[] V1 = Convert.FromHexString("0123456789abcdef0123456789abcdef01234567");
    private static readonly byte[] V2 = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    [Fact]
    public void HybridMagnetCarriesBothHashesAndPercentEncodedParameters()
    {
        var uri = MagnetUri.Build(
            V1,
            V2,
            "my file+1 é.bin",
            1234,
            ["http://t.example/announce?x=1&y=2"],
            ["https://s3.example/b/my%20file"],
            ["127.0.0.1:6881", "[::1]:6881"]);
        Assert.Equal(
            "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"
            + "&xt=urn:btmh:122000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
            + "&dn=my%20file%2B1%20%C3%A9.bin&xl=1234"
            + "&tr=http%3A%2F%2Ft.example%2Fannounce%3Fx%3D1%26y%3D2"
            + "&ws=https%3A%2F%2Fs3.example%2Fb%2Fmy%2520file"
            + "&x.pe=127.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A6881",
            uri);
    }

    [Fact]
    public void V1OnlyMagnetHasOneExactTopic()
        => Assert.Equal("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567", MagnetUri.Build(V1, []));

    [Fact]
    public void V2OnlyMagnetFromInfoHashesUsesMultihash()
        => Assert.Equal(
            "magnet:?xt=urn:btmh:122000112233445566778899aabbccddeeff00112233445566778899aabbccddeeff&dn=a",
            MagnetUri.Build(new InfoHashes(default, V2), "a"));

    [Fact]
    public void RefusesMissingOrMisSizedHashes()
    {
        Assert.Throws<ArgumentException>(() => MagnetUri.Build([], ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentException>(() => MagnetUri.Build(V2, []));
    }
}
