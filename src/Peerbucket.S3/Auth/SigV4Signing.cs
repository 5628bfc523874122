using System.Security.Cryptography;
using System.Text;

namespace Peerbucket.S3.Auth;

/// <summary>The SigV4 HMAC primitives: signing key, strings to sign, and constant-time comparison.</summary>
internal static class SigV4Signing
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string ChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
    public const string TrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";

    /// <summary>HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="stringToSign"/>.</summary>
    public static string Sign(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    public static string RequestStringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(canonicalRequest)}";

    public static string ChunkStringToSign(string amzDate, string scope, string previousSignature, string chunkSha256Hex) =>
        $"{ChunkAlgorithm}\n{amzDate}\n{scope}\n{previousSignature}\n{SigV4PayloadHashes.EmptySha256}\n{chunkSha256Hex}";

    public static string TrailerStringToSign(string amzDate, string scope, string previousSignature, string trailerSha256Hex) =>
        $"{TrailerAlgorithm}\n{amzDate}\n{scope}\n{previousSignature}\n{trailerSha256Hex}";

    /// <summary>The chunk-signature of an aws-chunked chunk, chained from <paramref name="previousSignature"/>.</summary>
    public static string ChunkSignature(SigV4SigningContext context, string previousSignature, ReadOnlySpan<byte> chunk) =>
        Sign(context.SigningKey, ChunkStringToSign(context.AmzDate, context.Scope, previousSignature, Sha256Hex(chunk)));

    /// <summary>The x-amz-trailer-signature over the trailing headers, canonicalised as sorted lowercase
    /// "name:value\n" lines (without the signature line itself).</summary>
    public static string TrailerSignature(
        SigV4SigningContext context, string previousSignature, IEnumerable<KeyValuePair<string, string>> trailers)
    {
        var canonical = new StringBuilder();
        foreach (var (name, value) in trailers.OrderBy(static t => t.Key.ToLowerInvariant(), StringComparer.Ordinal))
        {
            canonical.Append(name.ToLowerInvariant()).Append(':').Append(value.Trim()).Append('\n');
        }

        return Sign(context.SigningKey, TrailerStringToSign(context.AmzDate, context.Scope, previousSignature, Sha256Hex(canonical.ToString())));
    }

    /// <summary>Constant-time comparison of a computed lowercase-hex signature with the one the client sent as
    /// ASCII bytes (hex digits of either case).</summary>
    public static bool SignatureEquals(string computed, ReadOnlySpan<byte> provided)
    {
        Span<byte> a = stackalloc byte[64];
        Span<byte> b = stackalloc byte[64];
        if (computed.Length > 64 || provided.Length != computed.Length)
        {
            return false;
        }

        var length = Encoding.ASCII.GetBytes(computed, a);
        for (var i = 0; i < provided.Length; i++)
        {
            if (!char.IsAsciiHexDigit((char)provided[i]))
            {
                return false;
            }

            b[i] = (byte)(provided[i] | 0x20);
        }

        return CryptographicOperations.FixedTimeEquals(a[..length], b[..length]);
    }

    /// <summary>Constant-time comparison of a computed lowercase-hex signature with the one the client sent.</summary>
    public static bool SignatureEquals(string computed, string provided)
    {
        if (provided.Length != computed.Length)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[64];
        Span<byte> b = stackalloc byte[64];
        if (computed.Length > 64)
        {
            return false;
        }

        var length = Encoding.ASCII.GetBytes(computed, a);
        for (var i = 0; i < provided.Length; i++)
        {
            if (!char.IsAsciiHexDigit(provided[i]))
            {
                return false;
            }

            b[i] = (byte)char.ToLowerInvariant(provided[i]);
        }

        return CryptographicOperations.FixedTimeEquals(a[..length], b[..length]);
    }
}
