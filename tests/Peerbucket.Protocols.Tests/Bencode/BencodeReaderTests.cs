using System.Text;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Tests.Bencode;

public sealed class BencodeReaderTests
{
    public static TheoryData<string> SpecExamples => new()
    {
        "4:spam",
        "0:",
        "i3e",
        "i-3e",
        "i0e",
        "i9223372036854775807e",
        "i-9223372036854775808e",
        "le",
        "de",
        "l4:spam4:eggse",
        "d3:cow3:moo4:spam4:eggse",
        "d4:spaml1:a1:bee",
        "d9:publisher3:bob17:publisher-webpage15:www.example.com18:publisher.location4:homee",
    };

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void DecodesSpecStringAsBytes()
    {
        var value = Assert.IsType<BString>(BencodeReader.Decode(B("4:spam")));
        Assert.Equal("spam"u8.ToArray(), value.Value.ToArray());
    }

    [Theory]
    [InlineData("i3e", 3)]
    [InlineData("i-3e", -3)]
    [InlineData("i0e", 0)]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)]
    public void DecodesSpecIntegers(string input, long expected)
        => Assert.Equal(expected, Assert.IsType<BInteger>(BencodeReader.Decode(B(input))).Value);

    [Fact]
    public void DecodesSpecListOfStrings()
    {
        var list = Assert.IsType<BList>(BencodeReader.Decode(B("l4:spam4:eggse")));
        Assert.Equal(["spam", "eggs"], list.Items.Select(item => item.ToString()));
    }

    [Fact]
    public void DecodesSpecDictionaryAndKeepsValueRanges()
    {
        var input = B("d3:cow3:moo4:spam4:eggse");
        var dict = Assert.IsType<BDictionary>(BencodeReader.Decode(input));
        Assert.Equal("moo", dict.Get<BString>("cow"u8)!.ToString());
        var eggs = dict.Get<BString>("spam"u8)!;
        Assert.Equal("eggs", eggs.ToString());
        Assert.Equal("4:eggs", Encoding.Latin1.GetString(input[eggs.Range]));
        Assert.Equal(17, eggs.Offset);
    }

    [Fact]
    public void DecodesSpecDictionaryHoldingList()
    {
        var dict = Assert.IsType<BDictionary>(BencodeReader.Decode(B("d4:spaml1:a1:bee")));
        var list = dict.Get<BList>("spam"u8)!;
        Assert.Equal("l1:a1:be", Encoding.Latin1.GetString(list.Raw.Span));
        Assert.Equal(["a", "b"], list.Items.Select(item => item.ToString()));
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void ReadConsumesExactlyTheValueWhenPadded(string input)
    {
        var padded = B(input + "i42exyz");
        var error = BencodeReader.TryRead(padded, out var value, out var consumed, out _);
        Assert.Equal(BencodeError.None, error);
        Assert.NotNull(value);
        Assert.Equal(input.Length, consumed);
        Assert.Equal(input, Encoding.Latin1.GetString(value.Raw.Span));
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void EveryPrefixIsRejectedAsNeedingMoreDataAndConsumesNothing(string input)
    {
        var bytes = B(input);
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = BencodeReader.TryRead(bytes.AsMemory(0, length), out var value, out var consumed, out _);
            Assert.True(error.IsNeedMoreData(), $"prefix {length} of '{input}' gave {error}");
            Assert.Null(value);
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void DecodingThenEncodingGivesTheSameBytes(string input)
        => Assert.Equal(B(input), BencodeWriter.Encode(BencodeReader.Decode(B(input))));

    [Theory]
    [InlineData("i03e", BencodeError.LeadingZero, 0)]
    [InlineData("i00e", BencodeError.LeadingZero, 0)]
    [InlineData("i-03e", BencodeError.NegativeZero, 0)]
    [InlineData("04:spam", BencodeError.LeadingZero, 0)]
    [InlineData("i-0e", BencodeError.NegativeZero, 0)]
    [InlineData("ie", BencodeError.InvalidInteger, 1)]
    [InlineData("i-e", BencodeError.InvalidInteger, 2)]
    [InlineData("i1-e", BencodeError.InvalidInteger, 2)]
    [InlineData("i+1e", BencodeError.InvalidInteger, 1)]
    [InlineData("i1.5e", BencodeError.InvalidInteger, 2)]
    [InlineData("i9223372036854775808e", BencodeError.IntegerOverflow, 0)]
    [InlineData("i-9223372036854775809e", BencodeError.IntegerOverflow, 0)]
    [InlineData("i99999999999999999999999e", BencodeError.IntegerOverflow, 0)]
    [InlineData("d4:spam1:a3:cow1:be", BencodeError.UnsortedKeys, 10)]
    [InlineData("d1:a1:x1:a1:ye", BencodeError.DuplicateKey, 7)]
    [InlineData("d1:b0:1:a0:e", BencodeError.UnsortedKeys, 6)]
    [InlineData("di1e1:ae", BencodeError.NonStringKey, 1)]
    [InlineData("dl1:ae1:be", BencodeError.NonStringKey, 1)]
    [InlineData("d1:ae", BencodeError.UnexpectedByte, 4)]
    [InlineData("5:spam", BencodeError.StringPastEnd, 0)]
    [InlineData("l9:abce", BencodeError.StringPastEnd, 1)]
    [InlineData("4spam", BencodeError.UnexpectedByte, 1)]
    [InlineData("x", BencodeError.UnexpectedByte, 0)]
    [InlineData("e", BencodeError.UnexpectedByte, 0)]
    [InlineData("", BencodeError.Truncated, 0)]
    [InlineData("l", BencodeError.Truncated, 1)]
    [InlineData("i3ei4e", BencodeError.TrailingBytes, 3)]
    [InlineData("4:spamx", BencodeError.TrailingBytes, 6)]
    [InlineData("99999999999:x", BencodeError.InvalidStringLength, 0)]
    public void RejectsInvalidFormWithTypedReasonAndOffset(string input, BencodeError expected, int offset)
    {
        Assert.False(BencodeReader.TryDecode(B(input), out var value, out var error, out var errorOffset));
        Assert.Null(value);
        Assert.Equal(expected, error);
        Assert.Equal(offset, errorOffset);
        var thrown = Assert.Throws<BencodeException>(() => BencodeReader.Decode(B(input)));
        Assert.Equal(expected, thrown.Error);
        Assert.Equal(offset, thrown.Offset);
    }

    [Fact]
    public void RejectsNestingDeeperThanTheLimit()
    {
        var limits = new BencodeLimits { MaxDepth = 4 };
        Assert.True(BencodeReader.TryDecode(B("lllli1eeeee"), out _, out _, out _, limits));
        Assert.False(BencodeReader.TryDecode(B("llllli1eeeeee"), out _, out var error, out var offset, limits));
        Assert.Equal(BencodeError.TooDeep, error);
        Assert.Equal(4, offset);
    }

    [Fact]
    public void RejectsDeepNestingByDefaultWithoutOverflowingTheStack()
    {
        var input = B(new string('l', 100_000) + new string('e', 100_000));
        Assert.False(BencodeReader.TryDecode(input, out _, out var error, out _));
        Assert.Equal(BencodeError.TooDeep, error);
    }

    [Fact]
    public void RejectsInputLargerThanTheSizeLimit()
    {
        var limits = new BencodeLimits { MaxInputLength = 8 };
        Assert.True(BencodeReader.TryDecode(B("6:abcdef"), out _, out _, out _, limits));
        Assert.False(BencodeReader.TryDecode(B("7:abcdefg"), out _, out var error, out _, limits));
        Assert.Equal(BencodeError.TooLarge, error);
        Assert.False(BencodeReader.TryDecode(B("li1ei2ei3ee"), out _, out error, out _, limits));
        Assert.Equal(BencodeError.TooLarge, error);
        Assert.False(BencodeReader.TryDecode(B("100:x"), out _, out error, out _, limits));
        Assert.Equal(BencodeError.InvalidStringLength, error);
    }

    [Fact]
    public void StringValueIsTheRawBytesNotText()
    {
        var input = new byte[] { (byte)'3', (byte)':', 0xFF, 0x00, 0x80 };
        var value = Assert.IsType<BString>(BencodeReader.Decode(input));
        Assert.Equal(new byte[] { 0xFF, 0x00, 0x80 }, value.Value.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(513)]
    public void DepthLimitOutsideOneToFiveHundredTwelveIsRefused(int depth)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new BencodeLimits { MaxDepth = depth });
}
