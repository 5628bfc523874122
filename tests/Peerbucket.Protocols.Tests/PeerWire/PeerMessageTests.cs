using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class PeerMessageTests
{
    private static readonly byte[] Root = Enumerable.Repeat((byte)0xAB, 32).ToArray();

    public static TheoryData<string, IPeerMessage> Built => new()
    {
        { "00000000", new KeepAliveMessage() },
        { "0000000100", new ChokeMessage() },
        { "0000000101", new UnchokeMessage() },
        { "0000000102", new InterestedMessage() },
        { "0000000103", new NotInterestedMessage() },
        { "0000000504" + "00000005", new HaveMessage(5) },
        { "0000000305" + "FFC0", BitfieldMessage.AllSet(10) },
        { "0000000205" + "FF", BitfieldMessage.AllSet(8) },
        { "0000000D06" + "00000001" + "00004000" + "00004000", new RequestMessage(1, 16384, 16384) },
        { "0000400907" + "00000003" + "00008000", new PieceMessageHeader(3, 32768, 16384) },
        { "0000000D08" + "00000001" + "00004000" + "00004000", new CancelMessage(1, 16384, 16384) },
        { "0000000309" + "1AE1", new PortMessage(6881) },
        { "000000050D" + "00000007", new SuggestPieceMessage(7) },
        { "000000010E", new HaveAllMessage() },
        { "000000010F", new HaveNoneMessage() },
        { "0000000D10" + "00000002" + "00000000" + "00004000", new RejectRequestMessage(2, 0, 16384) },
        { "0000000511" + "00000003", new AllowedFastMessage(3) },
        { "0000000414" + "00" + "6465", new ExtendedMessage(0, "de"u8.ToArray()) },
        { "0000003115" + Convert.ToHexString(Root) + "00000001" + "00000000" + "00000002" + "00000003", new HashRequestMessage(Root, 1, 0, 2, 3) },
        { "0000003117" + Convert.ToHexString(Root) + "00000001" + "00000000" + "00000002" + "00000003", new HashRejectMessage(new HashRequestMessage(Root, 1, 0, 2, 3)) },
        { "0000005116" + Convert.ToHexString(Root) + "00000001" + "00000000" + "00000002" + "00000000" + string.Concat(Enumerable.Repeat("22", 32)), new HashesMessage(new HashRequestMessage(Root, 1, 0, 2, 0), Enumerable.Repeat((byte)0x22, 32).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(Built))]
    public void MessageWritesItsGoldenBytesAtAnOddOffset(string hex, IPeerMessage message)
    {
        Assert.Equal(Convert.FromHexString(hex), Reencoder.WriteChecked(message));
    }

    [Theory]
    [InlineData(16 * 1024, PeerWireError.None)]
    [InlineData(16 * 1024 + 1, PeerWireError.RequestTooLong)]
    [InlineData(1 << 20, PeerWireError.RequestTooLong)]
    [InlineData(0, PeerWireError.RequestTooLong)]
    [InlineData(1, PeerWireError.None)]
    public void RequestLongerThanSixteenKibIsFlagged(int length, PeerWireError expected)
    {
        var bytes = Reencoder.WriteChecked(new RequestMessage(0, 0, length));
        Assert.Equal(expected == PeerWireError.None, RequestMessage.TryParse(bytes.AsSpan(5), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void CancelAndRejectOfLargeLengthsStillParse()
    {
        Assert.True(CancelMessage.TryParse(Convert.FromHexString("00000000" + "00000000" + "00100000"), out var cancel, out _));
        Assert.Equal(1 << 20, cancel.Length);
    }

    [Fact]
    public void FieldsAboveInt32MaxAreInvalid()
    {
        Assert.False(RequestMessage.TryParse(Convert.FromHexString("80000000" + "00000000" + "00004000"), out _, out var error));
        Assert.Equal(PeerWireError.InvalidField, error);
        Assert.False(HaveMessage.TryParse(Convert.FromHexString("FFFFFFFF"), out _, out error));
        Assert.Equal(PeerWireError.InvalidField, error);
    }

    [Theory]
    [InlineData("FFC1", 10, PeerWireError.BitfieldSpareBits)]
    [InlineData("FFE0", 10, PeerWireError.BitfieldSpareBits)]
    [InlineData("01", 7, PeerWireError.BitfieldSpareBits)]
    [InlineData("FFC0", 9, PeerWireError.BitfieldSpareBits)]
    [InlineData("FFC000", 10, PeerWireError.BitfieldWrongLength)]
    [InlineData("FF", 10, PeerWireError.BitfieldWrongLength)]
    [InlineData("FF", 0, PeerWireError.BitfieldWrongLength)]
    [InlineData("FFC0", 10, PeerWireError.None)]
    [InlineData("FF", 8, PeerWireError.None)]
    [InlineData("", 0, PeerWireError.None)]
    public void BitfieldMustHaveExactSizeAndZeroSpareBits(string hex, int pieceCount, PeerWireError expected)
    {
        Assert.Equal(expected == PeerWireError.None, BitfieldMessage.TryParse(Convert.FromHexString(hex), pieceCount, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void BitfieldReportsPiecesHighBitFirst()
    {
        Assert.True(BitfieldMessage.TryParse(Convert.FromHexString("8040"), 12, out var bitfield, out _));
        Assert.Equal([0, 9], Enumerable.Range(0, 16).Where(bitfield.HasPiece));
        Assert.False(bitfield.HasPiece(-1));
        Assert.Equal(12, Enumerable.Range(0, 20).Count(BitfieldMessage.AllSet(12).HasPiece));
    }

    [Fact]
    public void PieceBlockAboveSixteenKibIsRejected()
    {
        Assert.False(PieceMessageHeader.TryParse(new byte[8 + (16 * 1024) + 1], out _, out var error));
        Assert.Equal(PeerWireError.MessageTooLong, error);
        Assert.True(PieceMessageHeader.TryParse(new byte[8 + (16 * 1024)], out var header, out _));
        Assert.Equal(16 * 1024, header.BlockLength);
        Assert.Equal(13 + (16 * 1024), header.MessageByteCount);
    }

    [Fact]
    public void HashesMustBeWholeHashes()
    {
        Assert.False(HashesMessage.TryParse(new byte[48 + 31], out _, out var error));
        Assert.Equal(PeerWireError.WrongLength, error);
        Assert.True(HashesMessage.TryParse(new byte[48], out var empty, out _));
        Assert.Equal(0, empty.Hashes.Length);
    }
}
