using System.Security.Cryptography;
using System.Text;
using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Post;

/// <summary>
/// Who signed a POST form's policy: Signature Version 4 (<c>x-amz-algorithm</c>, <c>x-amz-credential</c>,
/// <c>x-amz-date</c>, <c>x-amz-signature</c>: hex HMAC-SHA256 of the base64 policy under the credential's signing
/// key) or Version 2 (<c>AWSAccessKeyId</c>, <c>signature</c>: base64 HMAC-SHA1 of the base64 policy). Returns the
/// access key that signed; a missing signature is 400, an unknown key or a wrong signature 403, as in S3.
/// </summary>
internal static class PostSignature
{
    public static string Verify(IReadOnlyDictionary<string, string> fields, string policy, Func<string, string?> secretFor)
    {
        if (fields.TryGetValue("x-amz-signature", out var v4Signature) || fields.ContainsKey("x-amz-algorithm") || fields.ContainsKey("x-amz-credential"))
        {
            return VerifyV4(fields, policy, v4Signature, secretFor);
        }

        if (!fields.TryGetValue("awsaccesskeyid", out var accessKey) || !fields.TryGetValue("signature", out var signature))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Bucket POST must contain a field named 'AWSAccessKeyId' and one named 'Signature'. If it is specified, please check the order of the fields.");
        }

        var secret = secretFor(accessKey) ?? throw new S3Exception(S3ErrorCode.InvalidAccessKeyId);
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(policy)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(signature.Trim()))
            ? accessKey
            : throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch);
    }

    private static string VerifyV4(IReadOnlyDictionary<string, string> fields, string policy, string? signature, Func<string, string?> secretFor)
    {
        if (signature is null || fields.GetValueOrDefault("x-amz-algorithm") != SigV4Signing.Algorithm
            || !fields.TryGetValue("x-amz-credential", out var credentialText) || !fields.ContainsKey("x-amz-date"))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                "Bucket POST signed with Signature Version 4 must contain x-amz-algorithm (AWS4-HMAC-SHA256), x-amz-credential, x-amz-date and x-amz-signature.");
        }

        if (!SigV4Credential.TryParse(credentialText, out var credential, out var problem))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, problem);
        }

        var secret = secretFor(credential!.AccessKey) ?? throw new S3Exception(S3ErrorCode.InvalidAccessKeyId);
        var key = SigV4Signing.DeriveSigningKey(secret, credential.Date, credential.Region, credential.Service);
        return SigV4Signing.SignatureEquals(SigV4Signing.Sign(key, policy), signature)
            ? credential.AccessKey
            : throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch);
    }
}
