using System.Text;
using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>Builds aws-chunked bodies and reads them back through streams that split the input.</summary>
internal static class ChunkedBodies
{
    public const string Seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    public const string TrailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";

    public static SigV4SigningContext Context(string seed = Seed) => new(AwsExample.SigningKey(), AwsExample.AmzDate, AwsExample.Scope, seed);

    /// <summary>The published body: 65536 + 1024 bytes of 'a', then the final chunk, with AWS's own signatures.</summary>
    public static byte[] AwsExampleBody(bool trailer)
    {
        var signatures = trailer
            ? new[] { "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992" }
            : ["ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"];
        var body = new MemoryStream();
        Write(body, $"10000;chunk-signature={signatures[0]}\r\n");
        body.Write(Enumerable.Repeat((byte)'a', 65536).ToArray());
        Write(body, $"\r\n400;chunk-signature={signatures[1]}\r\n");
        body.Write(Enumerable.Repeat((byte)'a', 1024).ToArray());
        Write(body, $"\r\n0;chunk-signature={signatures[2]}\r\n");
        Write(body, trailer
            ? "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
            : "\r\n");
        return body.ToArray();
    }

    /// <summary>A signed body for <paramref name="chunks"/> (the final empty chunk is added), optionally with a signed trailer.</summary>
    public static byte[] Signed(SigV4SigningContext context, byte[][] chunks, IReadOnlyList<KeyValuePair<string, string>>? trailers = null)
    {
        var body = new MemoryStream();
        var previous = context.SeedSignature;
        foreach (var chunk in chunks.Append([]))
        {
            previous = SigV4Signing.ChunkSignature(context, previous, chunk);
            Write(body, $"{chunk.Length:x};chunk-signature={previous}\r\n");
            if (chunk.Length > 0)
            {
                body.Write(chunk);
                Write(body, "\r\n");
            }
        }

        if (trailers is not null)
        {
            foreach (var (name, value) in trailers)
            {
                Write(body, $"{name}:{value}\r\n");
            }

            Write(body, $"x-amz-trailer-signature:{SigV4Signing.TrailerSignature(context, previous, trailers)}\r\n");
        }

        Write(body, "\r\n");
        return body.ToArray();
    }

    /// <summary>A STREAMING-UNSIGNED-PAYLOAD-TRAILER body.</summary>
    public static byte[] Unsigned(byte[][] chunks, IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        var body = new MemoryStream();
        foreach (var chunk in chunks)
        {
            Write(body, $"{chunk.Length:x}\r\n");
            body.Write(chunk);
            Write(body, "\r\n");
        }

        Write(body, "0\r\n");
        foreach (var (name, value) in trailers)
        {
            Write(body, $"{name}:{value}\r\n");
        }

        Write(body, "\r\n");
        return body.ToArray();
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream, int readSize = 81920)
    {
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));
}
