using System.ComponentModel;
using System.Globalization;

namespace Peerbucket.Hosting;

/// <summary>Lets configuration (appsettings.json, <c>PEERBUCKET__TRACKERPORT</c>) bind a <see cref="ListenPort"/> from a
/// number or <c>off</c>.</summary>
internal sealed class ListenPortConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(int) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
    {
        int number => ListenPort.Of(number),
        string text when ListenPort.TryParse(text, out var port) => port,
        string text => throw new FormatException($"'{text}' is not a port: a number from 0 (a free port) to 65535, or off."),
        _ => base.ConvertFrom(context, culture, value),
    };

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is ListenPort port && destinationType == typeof(string) ? port.ToString() : base.ConvertTo(context, culture, value, destinationType);
}
