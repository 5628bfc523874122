namespace Peerbucket.Fuzz;

/// <summary>
/// The in-process runner's input generator (no coverage feedback: that is what AFL++ or libFuzzer add, see
/// <c>fuzz/fuzz.sh</c>): seeds, mutated by bit flips, byte sets to interesting values, inserts, deletes, duplicated
/// runs and splices with another seed; deterministic for a given seed of the random generator.
/// </summary>
internal sealed class Mutator(IReadOnlyList<byte[]> seeds, int randomSeed)
{
    private static readonly byte[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, (byte)'0', (byte)'9', (byte)':', (byte)'e', (byte)'i', (byte)'l', (byte)'d',
        (byte)'-', (byte)'\r', (byte)'\n', (byte)'%', (byte)'&', (byte)'=', (byte)'<', (byte)'>', (byte)'"', (byte)'{', (byte)'}', (byte)'\\'];

    private readonly Random _random = new(randomSeed);

    public byte[] Next()
    {
        var seed = seeds[_random.Next(seeds.Count)];
        var bytes = new List<byte>(seed);
        var edits = 1 + _random.Next(_random.Next(2) == 0 ? 2 : 8);
        for (var e = 0; e < edits; e++)
        {
            Edit(bytes);
        }

        return [.. bytes];
    }

    private void Edit(List<byte> bytes)
    {
        var at = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[at] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2:
                bytes.Insert(at, _random.Next(2) == 0 ? (byte)_random.Next(256) : Interesting[_random.Next(Interesting.Length)]);
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(8)));
                break;
            case 4 when bytes.Count > 0:
                var length = Math.Min(bytes.Count - at, 1 + _random.Next(16));
                bytes.InsertRange(_random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            case 5:
                var other = seeds[_random.Next(seeds.Count)];
                if (other.Length > 0)
                {
                    var from = _random.Next(other.Length);
                    bytes.InsertRange(at, other.Skip(from).Take(1 + _random.Next(32)));
                }

                break;
            case 6 when bytes.Count > 0:
                bytes.RemoveRange(at, bytes.Count - at); // truncate
                break;
            default:
                var digits = _random.Next(1, 12);
                bytes.InsertRange(at, Enumerable.Range(0, digits).Select(_ => (byte)('0' + _random.Next(10))));
                break;
        }
    }
}
