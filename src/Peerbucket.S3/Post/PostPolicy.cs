using System.Globalization;
using System.Text;
using System.Text.Json;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Post;

/// <summary>
/// The policy of a browser POST upload: a base64 JSON document with an <c>expiration</c> (ISO 8601) and the
/// <c>conditions</c> every form field must meet — <c>{"field": "value"}</c> and <c>["eq", "$field", "value"]</c>
/// (exact), <c>["starts-with", "$field", "prefix"]</c>, <c>["content-length-range", min, max]</c>. The two top-level
/// names are case-sensitive; condition operators and field names are not, as in S3. A malformed policy is 400
/// InvalidPolicyDocument; a condition a form does not meet is 403 AccessDenied.
/// </summary>
internal sealed class PostPolicy
{
    public const int MaxDocumentBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private PostPolicy(DateTimeOffset expiration, List<Condition> conditions, long? minLength, long? maxLength)
    {
        Expiration = expiration;
        Conditions = conditions;
        MinLength = minLength;
        MaxLength = maxLength;
    }

    public DateTimeOffset Expiration { get; }

    internal IReadOnlyList<Condition> Conditions { get; }

    /// <summary>The content-length-range bounds (inclusive), when the policy has one.</summary>
    public long? MinLength { get; }

    public long? MaxLength { get; }

    internal sealed record Condition(string Operator, string Field, string Value);

    public static PostPolicy Parse(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw Invalid("Invalid Policy: Invalid Base64 Encoding.");
        }

        if (bytes.Length > MaxDocumentBytes)
        {
            throw Invalid("Invalid Policy: the policy document is too large.");
        }

        JsonDocument document;
        try
        {
            _ = StrictUtf8.GetCharCount(bytes); // JsonDocument reads invalid UTF-8 inside strings, then fails to decode them
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception error) when (error is JsonException or DecoderFallbackException)
        {
            throw Invalid("Invalid Policy: Invalid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("Invalid Policy: Invalid JSON.");
            }

            if (!root.TryGetProperty("expiration", out var expiration) || expiration.ValueKind != JsonValueKind.String)
            {
                throw Invalid("Invalid Policy: Policy missing expiration.");
            }

            if (!DateTimeOffset.TryParseExact(expiration.GetString(), ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
            {
                throw Invalid("Invalid Policy: Invalid 'expiration' value: '" + expiration.GetString() + "'");
            }

            if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("Invalid Policy: Policy missing conditions.");
            }

            var list = new List<Condition>();
            long? min = null, max = null;
            foreach (var condition in conditions.EnumerateArray())
            {
                switch (condition.ValueKind)
                {
                    case JsonValueKind.Object:
                        var properties = condition.EnumerateObject().ToList();
                        if (properties.Count != 1)
                        {
                            throw Invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                        }

                        list.Add(new Condition("eq", properties[0].Name.ToLowerInvariant(), Text(properties[0].Value)));
                        break;
                    case JsonValueKind.Array:
                        var items = condition.EnumerateArray().ToList();
                        var op = items.Count > 0 && items[0].ValueKind == JsonValueKind.String ? items[0].GetString()!.ToLowerInvariant() : "";
                        if (op == "content-length-range")
                        {
                            if (items.Count != 3 || !items[1].TryGetInt64(out var low) || !items[2].TryGetInt64(out var high) || low < 0 || high < low)
                            {
                                throw Invalid("Invalid Policy: Invalid content-length-range condition.");
                            }

                            (min, max) = (low, high);
                            break;
                        }

                        if (op is not ("eq" or "starts-with") || items.Count != 3 || items[1].ValueKind != JsonValueKind.String
                            || !items[1].GetString()!.StartsWith('$'))
                        {
                            throw Invalid($"Invalid Policy: Invalid Condition: {condition.GetRawText()}");
                        }

                        list.Add(new Condition(op, items[1].GetString()![1..].ToLowerInvariant(), Text(items[2])));
                        break;
                    default:
                        throw Invalid($"Invalid Policy: Invalid Condition: {condition.GetRawText()}");
                }
            }

            return new PostPolicy(expires, list, min, max);
        }
    }

    /// <summary>Checks the form's fields (lower-case names) against the policy at <paramref name="now"/>: not expired,
    /// every condition met, and every field named by a condition (but those S3 exempts).</summary>
    public void Check(IReadOnlyDictionary<string, string> fields, string bucket, DateTimeOffset now)
    {
        if (now > Expiration)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied, "Invalid according to Policy: Policy expired.");
        }

        foreach (var condition in Conditions)
        {
            var value = condition.Field == "bucket" ? bucket : fields.GetValueOrDefault(condition.Field);
            var met = value is not null && (condition.Operator == "eq"
                ? value == condition.Value
                : value.StartsWith(condition.Value, StringComparison.Ordinal));
            if (!met)
            {
                throw new S3Exception(S3ErrorCode.AccessDenied,
                    $"Invalid according to Policy: Policy Condition failed: [\"{condition.Operator}\", \"${condition.Field}\", \"{condition.Value}\"]");
            }
        }

        foreach (var name in fields.Keys)
        {
            if (!Exempt(name) && !Conditions.Any(c => c.Field == name))
            {
                throw new S3Exception(S3ErrorCode.AccessDenied, $"Invalid according to Policy: Extra input fields: {name}");
            }
        }
    }

    /// <summary>Fields a policy need not name: the signature's own, the file, x-ignore-* (as S3), x-amz-checksum-*.</summary>
    private static bool Exempt(string name) =>
        name is "policy" or "signature" or "awsaccesskeyid" or "x-amz-signature" or "x-amz-algorithm" or "x-amz-credential" or "x-amz-date"
            or "x-amz-security-token" or "file"
        || name.StartsWith("x-ignore-", StringComparison.Ordinal)
        || name.StartsWith("x-amz-checksum-", StringComparison.Ordinal); // what the bytes must hash to: a check, not a permission

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw Invalid($"Invalid Policy: Invalid Condition value: {value.GetRawText()}"),
    };

    private static S3Exception Invalid(string message) => new(S3ErrorCode.InvalidPolicyDocument, message);
}
