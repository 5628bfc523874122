using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;

namespace Peerbucket.S3.Handlers;

/// <summary>The x-amz-copy-source header: "[/]bucket/key[?versionId=...]", URL-encoded; <see cref="VersionId"/> null
/// for the source's current object.</summary>
internal sealed record CopySource(string Bucket, string Key, string? VersionId = null)
{
    public static CopySource Parse(string header)
    {
        var value = header.TrimStart('/');
        var question = value.IndexOf('?');
        string? version = null;
        if (question >= 0)
        {
            version = S3Query.Parse(value[(question + 1)..]).Get("versionId");
            if (version is not null)
            {
                VersionIds.Validate(version);
            }

            value = value[..question];
        }

        string decoded;
        try
        {
            decoded = S3Query.PercentDecode(value);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
        }

        var slash = decoded.IndexOf('/');
        if (slash <= 0 || slash == decoded.Length - 1)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
        }

        return new CopySource(decoded[..slash], decoded[(slash + 1)..], version);
    }
}
