using Peerbucket.S3.Checksums;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Http;

/// <summary>
/// Which flexible checksum a write computes and what it must equal: a value in an x-amz-checksum-* header, or one
/// announced by x-amz-trailer and sent after an aws-chunked body, or none (x-amz-sdk-checksum-algorithm alone).
/// </summary>
internal sealed class ChecksumPlan
{
    private ChecksumPlan(S3ChecksumAlgorithm? algorithm, string? expected, bool inTrailer)
    {
        Algorithm = algorithm;
        Expected = expected;
        InTrailer = inTrailer;
    }

    public static ChecksumPlan None { get; } = new(null, null, false);

    public S3ChecksumAlgorithm? Algorithm { get; }

    public string? Expected { get; }

    public bool InTrailer { get; }

    public static ChecksumPlan FromHeaders(Func<string, string?> header)
    {
        S3ChecksumAlgorithm? found = null;
        string? expected = null;
        foreach (var algorithm in S3ChecksumAlgorithms.All)
        {
            var name = S3ChecksumAlgorithms.HeaderNameOf(algorithm);
            var value = header(name);
            if (value is null)
            {
                continue;
            }

            if (found is not null)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }

            if (!S3ChecksumAlgorithms.IsWellFormedValue(algorithm, value))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Value for {name} header is invalid.");
            }

            found = algorithm;
            expected = value;
        }

        if (found is not null)
        {
            return new ChecksumPlan(found, expected, false);
        }

        var trailer = header("x-amz-trailer");
        if (trailer is not null)
        {
            if (!S3ChecksumAlgorithms.TryParseHeaderName(trailer.Trim().ToLowerInvariant(), out var algorithm))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"The value specified in the x-amz-trailer header is not supported: {trailer}");
            }

            return new ChecksumPlan(algorithm, null, true);
        }

        var declared = header("x-amz-sdk-checksum-algorithm") ?? header("x-amz-checksum-algorithm");
        if (declared is not null)
        {
            if (!S3ChecksumAlgorithms.TryParse(declared, out var algorithm))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Checksum algorithm {declared} is not supported.");
            }

            return new ChecksumPlan(algorithm, null, false);
        }

        return None;
    }

    /// <summary>Echoes stored checksums as x-amz-checksum-* response headers.</summary>
    public static void WriteHeaders(Microsoft.AspNetCore.Http.HttpResponse response, IReadOnlyDictionary<string, string> checksums)
    {
        foreach (var (name, value) in checksums)
        {
            if (S3ChecksumAlgorithms.TryParse(name, out var algorithm))
            {
                response.Headers[S3ChecksumAlgorithms.HeaderNameOf(algorithm)] = value;
            }
        }
    }

    /// <summary>Checks the computed value against the header or trailer; returns the checksums to store.</summary>
    public IReadOnlyDictionary<string, string> Verify(string? computed, IReadOnlyDictionary<string, string> trailers)
    {
        if (Algorithm is not { } algorithm || computed is null)
        {
            return new Dictionary<string, string>();
        }

        var name = S3ChecksumAlgorithms.NameOf(algorithm);
        var expected = Expected;
        if (InTrailer)
        {
            if (!trailers.TryGetValue(S3ChecksumAlgorithms.HeaderNameOf(algorithm), out expected))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"The trailer {S3ChecksumAlgorithms.HeaderNameOf(algorithm)} was announced but not sent.");
            }
        }

        if (expected is not null && expected != computed)
        {
            throw new S3Exception(S3ErrorCode.BadDigest, $"The {name} you specified did not match the calculated checksum.");
        }

        return new Dictionary<string, string> { [name] = computed };
    }
}
