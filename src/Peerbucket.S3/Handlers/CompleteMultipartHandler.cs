using System.Globalization;
using System.Security.Cryptography;
using Peerbucket.S3.Checksums;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Writes;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>
/// CompleteMultipartUpload: checks the part list, assembles the parts into one blob (computing the content facts on
/// the way, so ?torrent is ready when this returns) and commits it as the object in one transaction.
/// </summary>
internal static class CompleteMultipartHandler
{
    public static async Task HandleAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        if (MultipartHandlers.FindUpload(request) is not { } upload)
        {
            // Completed before, and the key still holds what it made: answer as the first time (a client may have lost that answer).
            var done = request.Store.Multipart.CompletedETag(request.BucketName, request.Key, MultipartHandlers.UploadId(request), request.Clock.GetUtcNow())
                ?? throw MultipartHandlers.NoSuchUpload(request);
            await request.WriteXmlAsync(Result(request, request.BucketName, request.Key, done, new Dictionary<string, string>()));
            return;
        }

        if (body.Name.LocalName != "CompleteMultipartUpload")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var requested = body.Children("Part").Select(p => (
            Number: int.TryParse(p.ChildValue("PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1,
            ETag: (p.ChildValue("ETag") ?? "").Trim().Trim('"'))).ToList();
        if (requested.Count == 0 || requested.Any(p => p.Number < 1))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        for (var i = 1; i < requested.Count; i++)
        {
            if (requested[i].Number <= requested[i - 1].Number)
            {
                throw new S3Exception(S3ErrorCode.InvalidPartOrder);
            }
        }

        var stored = request.Store.Multipart.ListParts(upload.UploadId).ToDictionary(p => p.PartNumber);
        var parts = new List<PartRecord>(requested.Count);
        foreach (var (number, partETag) in requested)
        {
            if (!stored.TryGetValue(number, out var part) || part.ETag != partETag)
            {
                throw new S3Exception(S3ErrorCode.InvalidPart) { Details = [new("PartNumber", number.ToString(CultureInfo.InvariantCulture)), new("ETag", partETag)] };
            }

            parts.Add(part);
        }

        for (var i = 0; i < parts.Count - 1; i++)
        {
            if (parts[i].Size < request.Options.MinPartSize)
            {
                throw new S3Exception(S3ErrorCode.EntityTooSmall)
                {
                    Details = [new("ProposedSize", parts[i].Size.ToString(CultureInfo.InvariantCulture)), new("MinSizeAllowed", request.Options.MinPartSize.ToString(CultureInfo.InvariantCulture))],
                };
            }
        }

        CheckDeclaredChecksum(request, upload, parts);
        await KeepAliveResponse.RunAsync(request, () => AssembleAsync(request, upload, parts));
    }

    /// <summary>Concatenates the parts into one blob (hashing the facts on the way), commits it, returns the result document.</summary>
    private static async Task<byte[]> AssembleAsync(S3Request request, MultipartUpload upload, IReadOnlyList<PartRecord> parts)
    {
        var total = parts.Sum(p => p.Size);
        await using var source = new PartsStream(request.Store.Blobs, parts);
        await using var staged = await request.Writer.StageAsync(source,
            new StagePlan(total, total, ContentKey: upload.Key, ComputeMd5: false), request.Aborted);
        var etag = MultipartETag(parts);
        var checksums = CompositeChecksum(upload.ChecksumAlgorithm, parts);
        var committed = await request.Writer.CompleteMultipartAsync(staged, upload, etag, checksums,
            [.. parts.Select(p => new ObjectPart(p.Size, p.Checksums))], PutObjectHandler.Precondition(request));
        committed.WriteVersionHeader(request.Response); // unless the keep-alive spaces started the response
        return Result(request, upload.Bucket, upload.Key, etag, checksums);
    }

    private static byte[] Result(S3Request request, string bucket, string key, string etag, IReadOnlyDictionary<string, string> checksums) =>
        S3Xml.Document("CompleteMultipartUploadResult", w =>
        {
            w.Element("Location", new Uri(request.Options.PublicUrl, "/" + bucket + "/" + Uri.EscapeDataString(key)).ToString());
            w.Element("Bucket", bucket);
            w.Element("Key", key);
            w.Element("ETag", S3Xml.Quote(etag));
            foreach (var (name, value) in checksums)
            {
                w.Element("Checksum" + name, value);
            }
        });

    /// <summary>S3's multipart ETag: MD5 of the concatenated binary part MD5s, then "-" and the part count.</summary>
    public static string MultipartETag(IReadOnlyList<PartRecord> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in parts)
        {
            md5.AppendData(Convert.FromHexString(part.ETag));
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A Complete request may declare the object's checksum (<c>x-amz-checksum-ALGORITHM</c>: the composite,
    /// with or without its "-N"); one that is not the parts' composite is BadDigest, checked before anything is
    /// assembled.</summary>
    private static void CheckDeclaredChecksum(S3Request request, MultipartUpload upload, IReadOnlyList<PartRecord> parts)
    {
        foreach (var algorithm in S3ChecksumAlgorithms.All)
        {
            if (request.Header(S3ChecksumAlgorithms.HeaderNameOf(algorithm)) is not { } declared)
            {
                continue;
            }

            var name = S3ChecksumAlgorithms.NameOf(algorithm);
            var composite = CompositeChecksum(upload.ChecksumAlgorithm, parts).GetValueOrDefault(name);
            var dash = composite?.LastIndexOf('-') ?? -1;
            if (composite is null || (declared != composite && declared != composite[..dash]))
            {
                throw new S3Exception(S3ErrorCode.BadDigest, $"The {name} you specified did not match the calculated checksum.");
            }
        }
    }

    /// <summary>The COMPOSITE checksum: the algorithm over the concatenated binary part checksums, then "-N".</summary>
    private static Dictionary<string, string> CompositeChecksum(string? algorithmName, IReadOnlyList<PartRecord> parts)
    {
        var result = new Dictionary<string, string>();
        if (algorithmName is null || !S3ChecksumAlgorithms.TryParse(algorithmName, out var algorithm)
            || parts.Any(p => !p.Checksums.ContainsKey(algorithmName)))
        {
            return result;
        }

        using var sum = new S3Checksum(algorithm);
        foreach (var part in parts)
        {
            sum.Append(Convert.FromBase64String(part.Checksums[algorithmName]));
        }

        result[algorithmName] = sum.GetBase64() + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
        return result;
    }
}
