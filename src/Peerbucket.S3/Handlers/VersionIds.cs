using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Handlers;

/// <summary>The versionId request parameter: "null" or an id this store made (32 hex digits); anything else is
/// S3's 400 InvalidArgument, never a lookup.</summary>
internal static class VersionIds
{
    public static void Validate(string versionId)
    {
        if (versionId != "null" && (versionId.Length != 32 || !versionId.All(char.IsAsciiHexDigitLower)))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid version id specified")
            {
                Details = [new("ArgumentName", "versionId"), new("ArgumentValue", versionId)],
            };
        }
    }

    /// <summary>The request's versionId, validated; null when it names none.</summary>
    public static string? Of(Routing.S3Query query) => query.Get("versionId") is { } id ? Checked(id) : null;

    private static string Checked(string id)
    {
        Validate(id);
        return id;
    }
}
