using System.Text;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class ExtendedHandshakeTests
{
    [Fact]
    public void SeederHandshakeIsCanonical()
    {
        var handshake = new ExtendedHandshake
        {
            Messages = new Dictionary<string, byte> { ["ut_metadata"] = 3, ["lt_donthave"] = 7 },
            MetadataSize = 31235,
            RequestQueueLength = 500,
            Version = "Peerbucket 0.1",
            YourIp = new byte[] { 10, 0, 0, 1 },
        };

        var payload = handshake.ToPayload();

        Assert.Equal(
            "d1:md11:lt_donthavei7e11:ut_metadatai3ee13:metadata_sizei31235e4:reqqi500e1:v14:Peerbucket 0.16:yourip4:\n\0\0\u0001e",
            Encoding.Latin1.GetString(payload));
        var message = Reencoder.WriteChecked(handshake.ToMessage());
        Assert.Equal(20, message[4]);
        Assert.Equal(0, message[5]);
    }

    [Fact]
    public void BepTenExampleParses()
    {
        // BEP 10's example handshake: d1:md11:LT_metadatai1e6:µT_PEXi2ee1:pi6881e1:v13:\xb5Torrent 1.2e
        byte[] payload = [.. "d1:md11:LT_metadatai1e7:"u8, 0xC2, 0xB5, .. "T_PEXi2ee1:pi6881e1:v13:"u8, 0xC2, 0xB5, .. "Torrent 1.2e"u8];

        Assert.True(ExtendedHandshake.TryParse(payload, out var handshake, out var error), error.ToString());
        Assert.Equal(1, handshake.Messages["LT_metadata"]);
        Assert.Equal(2, handshake.Messages["µT_PEX"]);
        Assert.Equal((ushort)6881, handshake.ListenPort);
        Assert.Equal("µTorrent 1.2", handshake.Version);
        Assert.Null(handshake.MetadataSize);
    }

    [Fact]
    public void LibtorrentStyleHandshakeRoundTripsAndIgnoresUnknownKeys()
    {
        var payload = "d12:complete_agoi-1e1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e12:ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei4242e4:reqqi500e11:upload_onlyi1e1:v17:qBittorrent/4.6.06:yourip4:\u007f\0\0\u0001e";

        Assert.True(ExtendedHandshake.TryParse(Encoding.Latin1.GetBytes(payload), out var handshake, out _));
        Assert.Equal(2, handshake.Messages[UtMetadataMessage.ExtensionName]);
        Assert.Equal(6, handshake.Messages.Count);
        Assert.Equal(4242, handshake.MetadataSize);
        Assert.Equal(500, handshake.RequestQueueLength);
        Assert.Equal("qBittorrent/4.6.0", handshake.Version);
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, handshake.YourIp!.Value.ToArray());
    }

    [Theory]
    [InlineData("d1:mi1ee", PeerWireError.WrongType)]
    [InlineData("d1:md11:ut_metadata1:2ee", PeerWireError.WrongType)]
    [InlineData("d1:md11:ut_metadatai256eee", PeerWireError.WrongType)]
    [InlineData("d1:md11:ut_metadatai-1eee", PeerWireError.WrongType)]
    [InlineData("d13:metadata_size3:abce", PeerWireError.WrongType)]
    [InlineData("d13:metadata_sizei-5ee", PeerWireError.WrongType)]
    [InlineData("d4:reqq1:5e", PeerWireError.WrongType)]
    [InlineData("d1:vi1ee", PeerWireError.WrongType)]
    [InlineData("d6:youripi1ee", PeerWireError.WrongType)]
    [InlineData("d1:pi70000ee", PeerWireError.WrongType)]
    [InlineData("le", PeerWireError.InvalidBencode)]
    [InlineData("d1:md11:ut_metadatai2eeee", PeerWireError.InvalidBencode)]
    [InlineData("d1:v1:xe1:m", PeerWireError.InvalidBencode)]
    [InlineData("d1:vi1e1:mdee", PeerWireError.InvalidBencode)]
    [InlineData("", PeerWireError.InvalidBencode)]
    public void WrongTypesAndBadBencodeAreTypedErrors(string payload, PeerWireError expected)
    {
        Assert.False(ExtendedHandshake.TryParse(Encoding.Latin1.GetBytes(payload), out var handshake, out var error));
        Assert.Null(handshake);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void EmptyDictionaryParsesWithNoExtensions()
    {
        Assert.True(ExtendedHandshake.TryParse("de"u8.ToArray(), out var handshake, out _));
        Assert.Empty(handshake.Messages);
        Assert.Equal("d1:mdee", Encoding.Latin1.GetString(new ExtendedHandshake().ToPayload()));
    }
}
