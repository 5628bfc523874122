using System.Diagnostics;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Tests.Bencode;

public sealed class BencodeFuzzTests
{
    private static readonly byte[] Alphabet = "ilde0123456789:-xa"u8.ToArray();

    [Fact]
    public void TwentyThousandRandomAndMutatedInputsOnlyEverYieldTypedErrorsOrCanonicalValues()
    {
        var random = new Random(20251125);
        var stopwatch = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var input = (i % 3) switch
            {
                0 => RandomBytes(random),
                1 => Mutate(random, BencodeWriter.Encode(RandomValue(random, 0))),
                _ => BencodeWriter.Encode(RandomValue(random, 0)),
            };

            if (BencodeReader.TryDecode(input, out var value, out var error, out var offset, new BencodeLimits { MaxDepth = 8 }))
            {
                accepted++;
                Assert.Equal(BencodeError.None, error);
                Assert.Equal(input, BencodeWriter.Encode(value));
            }
            else
            {
                Assert.NotEqual(BencodeError.None, error);
                Assert.InRange(offset, 0, input.Length);
            }
        }

        Assert.True(accepted > 6_000, $"only {accepted} inputs decoded");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 40)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : Alphabet[random.Next(Alphabet.Length)];
        }

        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var list = input.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(list.Count + 1);
            switch (random.Next(3))
            {
                case 0:
                    list.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 1 when at < list.Count:
                    list.RemoveAt(at);
                    break;
                default:
                    if (at < list.Count)
                    {
                        list[at] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. list];
    }

    private static BValue RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 4 ? 2 : 4))
        {
            case 0:
                return new BInteger(random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.Next(-100, 100));
            case 1:
                var bytes = new byte[random.Next(0, 6)];
                random.NextBytes(bytes);
                return new BString(bytes);
            case 2:
                return new BList([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))]);
            default:
                var entries = new Dictionary<string, BValue>();
                for (var i = random.Next(4); i > 0; i--)
                {
                    entries[((char)('a' + random.Next(5))).ToString()] = RandomValue(random, depth + 1);
                }

                return new BDictionary(entries.Select(e => new KeyValuePair<ReadOnlyMemory<byte>, BValue>(System.Text.Encoding.ASCII.GetBytes(e.Key), e.Value)));
        }
    }
}
