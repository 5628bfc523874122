using System.Text.Json;

namespace Peerbucket.Storage.Access;

/// <summary>
/// The part of an S3 bucket policy Peerbucket evaluates: statements for Principal "*" granting or denying
/// s3:GetObject / s3:ListBucket (or s3:*) on this bucket's ARNs. Statements for other principals never grant
/// anonymous access; an anonymous Deny with a condition is applied unconditionally (safe side).
/// </summary>
public sealed class BucketPolicy
{
    private readonly List<Statement> _statements;

    private BucketPolicy(List<Statement> statements) => _statements = statements;

    /// <summary>True when a statement allows everyone something without a condition (GetBucketPolicyStatus' IsPublic).</summary>
    public bool IsPublic => _statements.Any(s => s.Allow && !s.Conditional);

    /// <summary>A name given twice in one object (<c>{"Effect":"Deny","Effect":"Allow"}</c>) is malformed: which one
    /// wins is up to the reader, and a policy must mean one thing to everyone who reads it.</summary>
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    private sealed record Statement(bool Allow, bool Conditional, List<string> Actions, List<string> Resources);

    /// <summary>Parses and validates a policy document for <paramref name="bucket"/>.</summary>
    public static BucketPolicy Parse(string json, string bucket)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statements))
            {
                throw Malformed("Missing required field Statement");
            }

            var list = new List<Statement>();
            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Single(statements))
            {
                var effect = Effect(statement);

                if (!statement.TryGetProperty("Principal", out var principal))
                {
                    throw Malformed("Missing required field Principal");
                }

                var actions = Strings(statement, "Action");
                var resources = Strings(statement, "Resource");
                if (actions.Count == 0 || resources.Count == 0)
                {
                    throw Malformed("Missing required field Action or Resource");
                }

                foreach (var resource in resources)
                {
                    if (!resource.StartsWith($"arn:aws:s3:::{bucket}", StringComparison.Ordinal)
                        || (resource.Length > 13 + bucket.Length && resource[13 + bucket.Length] != '/'))
                    {
                        throw Malformed("Policy has invalid resource");
                    }
                }

                if (IsEveryone(principal))
                {
                    list.Add(new Statement(effect == "Allow", statement.TryGetProperty("Condition", out _), actions, resources));
                }
            }

            return new BucketPolicy(list);
        }
        catch (JsonException)
        {
            throw Malformed("Policies must be valid JSON");
        }
        catch (InvalidOperationException)
        {
            throw Malformed("Policy has an unexpected shape");
        }
    }

    /// <summary>Null when the policy says nothing about anonymous <paramref name="action"/> on the resource; else allow or deny.</summary>
    public bool? Decide(S3Action action, string bucket, string? key)
    {
        var iamAction = action switch
        {
            S3Action.GetObject => "s3:GetObject",
            S3Action.GetObjectVersion => "s3:GetObjectVersion",
            S3Action.ListBucket => "s3:ListBucket",
            S3Action.ListBucketVersions => "s3:ListBucketVersions",
            _ => null,
        };
        if (iamAction is null)
        {
            return null;
        }

        var arn = key is null ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{key}";
        bool? decision = null;
        foreach (var statement in _statements)
        {
            if (!statement.Actions.Any(a => Wildcard.Matches(a, iamAction, ignoreCase: true))
                || !statement.Resources.Any(r => Wildcard.Matches(r, arn, ignoreCase: false)))
            {
                continue;
            }

            if (!statement.Allow)
            {
                return false;
            }

            if (!statement.Conditional)
            {
                decision = true;
            }
        }

        return decision;
    }

    private static bool IsEveryone(JsonElement principal) => principal.ValueKind switch
    {
        JsonValueKind.String => principal.GetString() == "*",
        JsonValueKind.Object => principal.TryGetProperty("AWS", out var aws)
            && (aws.ValueKind == JsonValueKind.String ? aws.GetString() == "*" : aws.EnumerateArray().Any(e => e.GetString() == "*")),
        _ => false,
    };

    private static IEnumerable<JsonElement> Single(JsonElement element)
    {
        yield return element;
    }

    /// <summary>"Allow" or "Deny"; anything else is malformed, echoed only when it is printable text.</summary>
    private static string Effect(JsonElement statement)
    {
        if (statement.ValueKind != JsonValueKind.Object || !statement.TryGetProperty("Effect", out var value))
        {
            throw Malformed("Missing required field Effect");
        }

        var effect = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return effect switch
        {
            "Allow" or "Deny" => effect,
            null => throw Malformed("Invalid effect: not a string"),
            _ when effect.Length <= 64 && !effect.Any(char.IsControl) && !effect.Any(char.IsSurrogate) => throw Malformed($"Invalid effect: {effect}"),
            _ => throw Malformed("Invalid effect"),
        };
    }

    private static List<string> Strings(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
            : [value.GetString() ?? ""];
    }

    private static StorageException Malformed(string message) => new(StorageError.MalformedPolicy, message);
}
