using System.Text.Json;

namespace Peerbucket.Storage.Metadata;

internal static class Json
{
    private static readonly Dictionary<string, string> Empty = [];

    public static string Write(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    public static string WriteParts(IReadOnlyList<Model.ObjectPart> parts) =>
        parts.Count == 0 ? "" : JsonSerializer.Serialize(parts.Select(p => new PartJson(p.Size, p.Checksums)));

    public static IReadOnlyList<Model.ObjectPart> ReadParts(string text) =>
        text.Length == 0 ? [] : [.. (JsonSerializer.Deserialize<List<PartJson>>(text) ?? []).Select(p => new Model.ObjectPart(p.Size, p.Checksums))];

    private sealed record PartJson(long Size, IReadOnlyDictionary<string, string> Checksums);

    public static IReadOnlyDictionary<string, string> Read(string text) =>
        text.Length == 0 ? Empty : JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? Empty;
}
