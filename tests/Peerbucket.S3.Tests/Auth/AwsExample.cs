using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>The credentials, time and helpers of the AWS SigV4-for-S3 documentation examples.</summary>
internal static class AwsExample
{
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string AmzDate = "20130524T000000Z";
    public const string Scope = "20130524/us-east-1/s3/aws4_request";
    public const string EmptySha256 = SigV4PayloadHashes.EmptySha256;

    public static readonly DateTimeOffset Time = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    public static string? Secrets(string accessKey) => accessKey == AccessKey ? Secret : null;

    public static string Authorization(string signedHeaders, string signature, string region = "us-east-1") =>
        $"AWS4-HMAC-SHA256 Credential={AccessKey}/20130524/{region}/s3/aws4_request,SignedHeaders={signedHeaders},Signature={signature}";

    public static SigV4Request Request(string method, string path, string query, params (string Name, string Value)[] headers) =>
        new(method, path, query, headers.Select(static h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList());

    public static SigV4Result Verify(SigV4Request request, DateTimeOffset? now = null) =>
        new SigV4Verifier().Verify(request, Secrets, now ?? Time);

    public static byte[] SigningKey() => SigV4Signing.DeriveSigningKey(Secret, "20130524", "us-east-1", "s3");
}
