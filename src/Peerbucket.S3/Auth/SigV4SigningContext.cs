namespace Peerbucket.S3.Auth;

/// <summary>What a verified request hands to the chunk verifier: the chain starts at <see cref="SeedSignature"/>.</summary>
/// <param name="SigningKey">HMAC key derived from the secret, date, region, service (32 bytes).</param>
/// <param name="AmzDate">The request timestamp as signed, yyyyMMddTHHmmssZ.</param>
/// <param name="Scope">The credential scope, date/region/s3/aws4_request.</param>
/// <param name="SeedSignature">The request's own (verified) signature, lowercase hex.</param>
internal sealed record SigV4SigningContext(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature);
