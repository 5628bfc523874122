using System.Text.Json;

namespace Peerbucket.Storage.Metadata;

internal static class Json
{
    private static readonly Dictionary<string, string> Empty = [];

    public static string Write(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    public static string WriteParts(IReadOnlyList<Model.ObjectPart> parts) => parts.Count == 0 ? "" : JsonSerializer.Serialize(parts);

    public static IReadOnlyList<Model.ObjectPart> ReadParts(string text) =>
        text.Length == 0 ? [] : JsonSerializer.Deserialize<List<Model.ObjectPart>>(text) ?? [];

    public static IReadOnlyDictionary<string, string> Read(string text) =>
        text.Length == 0 ? Empty : JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? Empty;
}
