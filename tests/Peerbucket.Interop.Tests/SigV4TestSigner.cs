using System.Security.Cryptography;
using System.Text;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// A small, independent SigV4 header signer (AWS's documented algorithm) for raw HTTP requests that no SDK would send,
/// e.g. malformed XML. Path and query are given already URI-encoded as they go on the wire. Signs host, Content-MD5
/// and every x-amz-* header.
/// </summary>
public static class SigV4TestSigner
{
    /// <param name="payloadHash">x-amz-content-sha256 (e.g. STREAMING-UNSIGNED-PAYLOAD-TRAILER); the body's SHA-256 when null.</param>
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secretKey, string region = "us-east-1",
        string? payloadHash = null)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        payloadHash ??= Convert.ToHexStringLower(SHA256.HashData(body));
        var uri = request.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(',', header.Value).Trim();
        }

        if (request.Content?.Headers.ContentMD5 is { } md5)
        {
            headers["content-md5"] = Convert.ToBase64String(md5);
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalQuery = string.Join('&', uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Contains('=') ? pair : pair + "=")
            .Order(StringComparer.Ordinal));
        var canonicalRequest = string.Join('\n',
            request.Method.Method,
            uri.AbsolutePath,
            canonicalQuery,
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            payloadHash);
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
