using System.Text;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Post;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Tagging;
using Peerbucket.S3.Writes;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>
/// PostObject: a browser form upload to <c>POST /bucket</c>. The form's policy is checked before a byte of the file is
/// stored — its signature (SigV4 or SigV2), its expiration and every condition — and the one authorization function
/// then decides as for a PUT by whoever signed it; a form without a policy is anonymous (and anonymous writes are never
/// allowed). The file goes through the one write path (MD5, checksum, torrent facts); <c>content-length-range</c> is
/// checked on the bytes. The answer: a 303 to <c>success_action_redirect</c>, or <c>success_action_status</c> 200,
/// 201 (with a PostResponse document) or 204 (the default).
/// </summary>
internal static class PostObjectHandler
{
    public static async Task HandleAsync(S3Request request)
    {
        var bucket = request.Bucket();
        var form = await PostForm.ReadAsync(request.Request.ContentType, request.Payload.Body, request.Aborted);
        var fields = form.Fields;
        var principal = Principal.Anonymous;
        PostPolicy? policy = null;
        if (fields.TryGetValue("policy", out var policyText))
        {
            var keys = new KeyLookup(request.Options, request.Store.Users);
            principal = keys.PrincipalFor(PostSignature.Verify(fields, policyText, keys.SecretFor));
            policy = PostPolicy.Parse(policyText);
        }

        var key = Key(fields, form.FileName);
        policy?.Check(new Dictionary<string, string>(fields) { ["key"] = key }, bucket.Name, request.Clock.GetUtcNow()); // the key as resolved
        if (!Authorizer.IsAllowed(principal, S3Action.WriteObject, bucket, null, key))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        var headers = AsHeaders(fields);
        var attributes = ObjectHeaders.FromHeaders(headers, request.UserExists) with
        {
            Tags = fields.TryGetValue("tagging", out var tagging) ? TagSet.FromXml(RequestXml.Parse(Encoding.UTF8.GetBytes(tagging)), TagSet.MaxObjectTags) : new Dictionary<string, string>(),
            Lock = ObjectLockHeaders.ForWrite(request, name => fields.GetValueOrDefault(name)),
        };
        PublicAccessRules.RefusePublicAcl(request, attributes.Acl);
        OwnershipRules.RefuseAclsWhenDisabled(request, fields.GetValueOrDefault("acl"));
        var checksum = ChecksumPlan.FromHeaders(name => fields.GetValueOrDefault(name.ToLowerInvariant()));
        var max = Math.Min(policy?.MaxLength ?? long.MaxValue, request.Options.MaxPutSize);
        await using var staged = await StageFileAsync(request, form, new StagePlan(null, max, checksum.Algorithm, ContentKey: key,
            SizeHint: request.Request.ContentLength));
        if (staged.Size < (policy?.MinLength ?? 0))
        {
            throw new S3Exception(S3ErrorCode.EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size");
        }

        var checksums = checksum.Verify(staged.Checksum, new Dictionary<string, string>());
        var etag = Convert.ToHexStringLower(staged.Md5);
        var committed = await request.Writer.CommitObjectAsync(staged, bucket.Name, key, etag, attributes, checksums);
        await RespondAsync(request, fields, bucket.Name, key, etag, committed);
    }

    /// <summary>Streams the file part into a new blob. A file part the form never ends (no closing boundary in a body
    /// that did arrive whole) is MalformedPOSTRequest; a body cut short stays IncompleteBody.</summary>
    private static async Task<StagedObject> StageFileAsync(S3Request request, PostForm form, StagePlan plan)
    {
        try
        {
            return await request.Writer.StageAsync(form.File, plan, request.Aborted);
        }
        catch (Exception error) when (error is InvalidDataException || (error is IOException && error is not BadHttpRequestException))
        {
            throw new S3Exception(S3ErrorCode.MalformedPOSTRequest,
                "The body of your POST request is not well-formed multipart/form-data: the file part does not end with the form's boundary.");
        }
    }

    /// <summary>The key field with <c>${filename}</c> replaced by the file's name; 400 when missing or not a key.</summary>
    private static string Key(IReadOnlyDictionary<string, string> fields, string? fileName)
    {
        if (!fields.TryGetValue("key", out var template) || template.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
            {
                Details = [new("ArgumentName", "key"), new("ArgumentValue", "")],
            };
        }

        var key = template.Replace("${filename}", Path.GetFileName(fileName ?? ""), StringComparison.Ordinal);
        if (key.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The key of a POST upload cannot be empty.");
        }

        return Encoding.UTF8.GetByteCount(key) <= S3Router.MaxKeyBytes ? key : throw new S3Exception(S3ErrorCode.KeyTooLongError);
    }

    /// <summary>The fields a PUT would have sent as headers: Content-Type and the other stored headers, x-amz-meta-*,
    /// and <c>acl</c> as <c>x-amz-acl</c>.</summary>
    private static HeaderDictionary AsHeaders(IReadOnlyDictionary<string, string> fields)
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in fields)
        {
            if (name == "acl")
            {
                headers["x-amz-acl"] = value;
            }
            else if (name.StartsWith("x-amz-meta-", StringComparison.Ordinal) || name.StartsWith("x-amz-object-lock-", StringComparison.Ordinal)
                || ObjectHeaders.Stored.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                headers[name] = value;
            }
        }

        return headers;
    }

    private static async Task RespondAsync(S3Request request, IReadOnlyDictionary<string, string> fields, string bucket, string key, string etag,
        CommittedObject committed)
    {
        var response = request.Response;
        response.Headers.ETag = S3Xml.Quote(etag);
        committed.WriteVersionHeader(response);
        var location = new Uri(request.Options.PublicUrl, "/" + bucket + "/" + Uri.EscapeDataString(key)).ToString();
        var redirect = fields.GetValueOrDefault("success_action_redirect") ?? fields.GetValueOrDefault("redirect");
        if (redirect is not null && Uri.TryCreate(redirect, UriKind.Absolute, out var target) && target.Scheme is "http" or "https")
        {
            var separator = target.Query.Length > 0 ? "&" : "?";
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = redirect + separator + "bucket=" + Uri.EscapeDataString(bucket) + "&key=" + Uri.EscapeDataString(key)
                + "&etag=" + Uri.EscapeDataString(S3Xml.Quote(etag));
            return;
        }

        response.Headers.Location = location;
        switch (fields.GetValueOrDefault("success_action_status"))
        {
            case "200":
                response.StatusCode = StatusCodes.Status200OK;
                break;
            case "201":
                await request.WriteXmlAsync(S3Xml.Document("PostResponse", w => // without a namespace, as S3 sends it
                {
                    w.WriteElementString("Location", location);
                    w.WriteElementString("Bucket", bucket);
                    w.WriteElementString("Key", key);
                    w.WriteElementString("ETag", S3Xml.Quote(etag));
                }, inNamespace: false), StatusCodes.Status201Created);
                break;
            default:
                response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }
    }
}
