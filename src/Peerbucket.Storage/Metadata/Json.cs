using System.Text.Json;

namespace Peerbucket.Storage.Metadata;

internal static class Json
{
    private static readonly Dictionary<string, string> Empty = [];

    public static string Write(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    public static string WriteParts(IReadOnlyList<Model.ObjectPart> parts) => parts.Count == 0 ? "" : JsonSerializer.Serialize(parts);

    public static IReadOnlyList<Model.ObjectPart> ReadParts(string text) =>
        text.Length == 0 ? [] : JsonSerializer.Deserialize<List<Model.ObjectPart>>(text) ?? [];

    /// <summary>An object lock as stored: "" for none, else <c>{"Mode":..,"Until":ms,"Hold":..}</c>.</summary>
    public static string WriteLock(Model.ObjectLock value) => value == Model.ObjectLock.None
        ? ""
        : JsonSerializer.Serialize(new StoredLock(value.Mode.ToString(), value.RetainUntil?.ToUnixTimeMilliseconds(), value.LegalHold));

    public static Model.ObjectLock ReadLock(string text)
    {
        if (text.Length == 0)
        {
            return Model.ObjectLock.None;
        }

        var stored = JsonSerializer.Deserialize<StoredLock>(text)!;
        return new Model.ObjectLock(Enum.Parse<Model.RetentionMode>(stored.Mode),
            stored.Until is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, stored.Hold);
    }

    private sealed record StoredLock(string Mode, long? Until, bool Hold);

    public static string WriteGrants(IReadOnlyList<Model.Grant> grants) => grants.Count == 0 ? "" : JsonSerializer.Serialize(grants);

    public static IReadOnlyList<Model.Grant> ReadGrants(string text) =>
        text.Length == 0 ? [] : JsonSerializer.Deserialize<List<Model.Grant>>(text) ?? [];

    public static IReadOnlyDictionary<string, string> Read(string text) =>
        text.Length == 0 ? Empty : JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? Empty;
}
