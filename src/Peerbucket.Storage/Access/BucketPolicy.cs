using System.Text.Json;

namespace Peerbucket.Storage.Access;

/// <summary>
/// The part of an S3 bucket policy Peerbucket evaluates: statements granting or denying S3 actions (wildcards allowed)
/// on this bucket's ARNs to everyone (<c>"*"</c>) or to users named by <c>{"AWS": "arn:aws:iam::ACCOUNT:user/NAME"}</c>
/// or <c>{"CanonicalUser": "ID"}</c>. Conditions are not evaluated: a statement with one never allows, and a Deny
/// with one applies unconditionally (the safe side).
/// </summary>
public sealed class BucketPolicy
{
    private readonly List<Statement> _statements;

    private BucketPolicy(List<Statement> statements) => _statements = statements;

    /// <summary>True when a statement allows everyone something without a condition (GetBucketPolicyStatus' IsPublic).</summary>
    public bool IsPublic => _statements.Any(s => s.Allow && !s.Conditional && s.Principals is null);

    /// <summary>A name given twice in one object (<c>{"Effect":"Deny","Effect":"Allow"}</c>) is malformed: which one
    /// wins is up to the reader, and a policy must mean one thing to everyone who reads it.</summary>
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <param name="Principals">Who the statement is about: null for everyone; else canonical ids and user names.</param>
    private sealed record Statement(bool Allow, bool Conditional, List<string> Actions, List<string> Resources, HashSet<string>? Principals);

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

                list.Add(new Statement(effect == "Allow", statement.TryGetProperty("Condition", out _), actions, resources, Principals(principal)));
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

    /// <summary>Null when the policy says nothing about <paramref name="iamAction"/> on the resource by this caller
    /// (a canonical id and user name, both null for anonymous); else allow or deny.</summary>
    public bool? Decide(string iamAction, string bucket, string? key, string? canonicalId = null, string? userName = null)
    {
        var arn = key is null ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{key}";
        bool? decision = null;
        foreach (var statement in _statements)
        {
            if (!statement.Actions.Any(a => Wildcard.Matches(a, iamAction, ignoreCase: true))
                || !statement.Resources.Any(r => Wildcard.Matches(r, arn, ignoreCase: false))
                || !(statement.Principals is null || (canonicalId is not null && statement.Principals.Contains(canonicalId))
                    || (userName is not null && statement.Principals.Contains("user/" + userName))))
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

    /// <summary>Null for everyone ("*", or "*" among the AWS principals); else the named users: canonical ids, and
    /// "user/NAME" for IAM user ARNs (the account part is not checked: the store is one account).</summary>
    private static HashSet<string>? Principals(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*" ? null : new HashSet<string>(StringComparer.Ordinal) { "?" + principal.GetString() };
        }

        if (principal.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("Invalid principal in policy");
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in principal.EnumerateObject())
        {
            var values = property.Value.ValueKind == JsonValueKind.Array
                ? property.Value.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [property.Value.GetString() ?? ""];
            foreach (var value in values)
            {
                switch (property.Name)
                {
                    case "AWS" when value == "*":
                        return null;
                    case "AWS":
                        var user = value.IndexOf(":user/", StringComparison.Ordinal);
                        named.Add(user >= 0 ? value[(user + 1)..] : value);
                        break;
                    case "CanonicalUser":
                        named.Add(value);
                        break;
                    default:
                        named.Add(property.Name + ":" + value); // Service, Federated, ...: no caller here is one
                        break;
                }
            }
        }

        return named;
    }

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
