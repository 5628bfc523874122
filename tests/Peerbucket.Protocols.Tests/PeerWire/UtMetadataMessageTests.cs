using System.Text;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class UtMetadataMessageTests
{
    [Fact]
    public void BepNineRequestAndRejectExamples()
    {
        // BEP 9: {'msg_type': 0, 'piece': 0} -> d8:msg_typei0e5:piecei0ee; reject uses msg_type 2.
        Assert.Equal("d8:msg_typei0e5:piecei0ee", Encode(UtMetadataMessage.Request(0)));
        Assert.Equal("d8:msg_typei2e5:piecei0ee", Encode(UtMetadataMessage.Reject(0)));

        Assert.True(UtMetadataMessage.TryParse("d8:msg_typei0e5:piecei0ee"u8.ToArray(), out var request, out _));
        Assert.Equal(UtMetadataMessage.Request(0), request);
    }

    [Fact]
    public void BepNineDataExampleCarriesBytesAfterTheDictionary()
    {
        // BEP 9: d8:msg_typei1e5:piecei0e10:total_sizei34256eexxxxxxxx...
        byte[] payload = [.. "d8:msg_typei1e5:piecei0e10:total_sizei34256ee"u8, .. "xxxxxxxx"u8];

        Assert.True(UtMetadataMessage.TryParse(payload, out var data, out _));
        Assert.Equal(UtMetadataMessageType.Data, data.MessageType);
        Assert.Equal(0, data.Piece);
        Assert.Equal(34256, data.TotalSize);
        Assert.Equal("xxxxxxxx"u8.ToArray(), data.Data.ToArray());
        Assert.Equal(Encoding.Latin1.GetString(payload), Encode(data));
    }

    [Fact]
    public void MetadataIsServedInSixteenKibPieces()
    {
        var metadata = Enumerable.Range(0, 34256).Select(i => (byte)i).ToArray();
        Assert.Equal(3, UtMetadataMessage.PieceCount(metadata.Length));
        Assert.Equal(16384, UtMetadataMessage.DataFor(metadata, 1).Data.Length);
        var last = UtMetadataMessage.DataFor(metadata, 2);
        Assert.Equal(34256 - 32768, last.Data.Length);
        Assert.Equal(metadata[32768..], last.Data.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => UtMetadataMessage.DataFor(metadata, 3));

        var message = last.ToExtendedMessage(peerExtensionId: 2);
        Assert.Equal(2, message.ExtendedId);
        Assert.True(UtMetadataMessage.TryParse(message.Payload, out var parsed, out _));
        Assert.Equal(last.Data.ToArray(), parsed.Data.ToArray());
        Assert.Equal(34256, parsed.TotalSize);
    }

    [Fact]
    public void UnknownMessageTypeParsesForTheCallerToIgnore()
    {
        Assert.True(UtMetadataMessage.TryParse("d8:msg_typei7e5:piecei0ee"u8.ToArray(), out var message, out _));
        Assert.False(Enum.IsDefined(message.MessageType));
    }

    [Theory]
    [InlineData("d5:piecei0ee", PeerWireError.InvalidMetadataMessage)]
    [InlineData("d8:msg_typei0ee", PeerWireError.InvalidMetadataMessage)]
    [InlineData("d8:msg_type1:05:piecei0ee", PeerWireError.InvalidMetadataMessage)]
    [InlineData("d8:msg_typei0e5:piecei-1ee", PeerWireError.InvalidMetadataMessage)]
    [InlineData("d8:msg_typei1e5:piecei0ee", PeerWireError.InvalidMetadataMessage)]
    [InlineData("li0ee", PeerWireError.InvalidBencode)]
    [InlineData("d8:msg_typei0e", PeerWireError.InvalidBencode)]
    public void MalformedMessagesAreTypedErrors(string payload, PeerWireError expected)
    {
        Assert.False(UtMetadataMessage.TryParse(Encoding.Latin1.GetBytes(payload), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void DataLongerThanAPieceIsRejected()
    {
        byte[] payload = [.. "d8:msg_typei1e5:piecei0e10:total_sizei99999ee"u8, .. new byte[16385]];
        Assert.False(UtMetadataMessage.TryParse(payload, out _, out var error));
        Assert.Equal(PeerWireError.InvalidMetadataMessage, error);
    }

    private static string Encode(UtMetadataMessage message)
    {
        var buffer = new byte[message.GetByteCount()];
        Assert.Equal(buffer.Length, message.Write(buffer));
        return Encoding.Latin1.GetString(buffer);
    }
}
