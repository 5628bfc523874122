using System.Globalization;

namespace Peerbucket.Cli;

/// <summary>Parses a rate flag: bytes per second, optionally with a K, M or G suffix (powers of 1024), e.g. <c>50M</c>.</summary>
internal static class ByteRate
{
    public static bool TryParse(string text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        var multiplier = char.ToUpperInvariant(trimmed[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var digits = multiplier == 1 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytesPerSecond = number * multiplier;
        return true;
    }
}
