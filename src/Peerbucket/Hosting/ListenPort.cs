using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Peerbucket.Hosting;

/// <summary>
/// The port setting of one listener (<c>--tracker-port</c>, <c>--peer-port</c>): a port number, 0 for a free port the
/// operating system picks at start-up (the start-up line and <c>/_health</c> report it), or <c>off</c>.
/// </summary>
[TypeConverter(typeof(ListenPortConverter))]
internal readonly record struct ListenPort
{
    private ListenPort(int? number) => Number = number;

    /// <summary>The listener does not run.</summary>
    public static ListenPort Off => default;

    /// <summary>A free port, picked when the listener binds.</summary>
    public static ListenPort Free => new(0);

    /// <summary>The port number; 0 for a free port; null when off.</summary>
    public int? Number { get; }

    public bool IsOff => Number is null;

    public static ListenPort Of(int number) => number is >= 0 and <= 65535
        ? new ListenPort(number)
        : throw new ArgumentOutOfRangeException(nameof(number), number, "A port is 0 (a free port) to 65535.");

    /// <summary>Parses <c>off</c> or a port number from 0 to 65535.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ListenPort port)
    {
        port = Off;
        if (text is null)
        {
            return false;
        }

        text = text.Trim();
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535)
        {
            port = new ListenPort(number);
            return true;
        }

        return false;
    }

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? "off";
}
