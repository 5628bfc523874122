using System.Text.Json;

namespace Peerbucket.Storage.Metadata;

internal static class Json
{
    private static readonly Dictionary<string, string> Empty = [];

    public static string Write(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    public static IReadOnlyDictionary<string, string> Read(string text) =>
        text.Length == 0 ? Empty : JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? Empty;
}
