using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Post;

/// <summary>
/// A browser POST upload's <c>multipart/form-data</c> body, read up to its <c>file</c> field: the fields before it
/// (names lower-cased, as S3 matches them), then the file's name and stream, positioned at its first byte. Fields after
/// the file are not read (S3 ignores them). Field count and sizes are bounded; a malformed form is 400.
/// </summary>
internal sealed class PostForm
{
    public const int MaxFields = 64;
    public const int MaxFieldBytes = 64 * 1024;

    private PostForm(Dictionary<string, string> fields, string? fileName, Stream file)
    {
        Fields = fields;
        FileName = fileName;
        File = file;
    }

    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The file part's filename (what <c>${filename}</c> in the key stands for); null when it has none.</summary>
    public string? FileName { get; }

    public Stream File { get; }

    public static async Task<PostForm> ReadAsync(string? contentType, Stream body, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Length is 0 or > 200)
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed, "Bucket POST must be of the enclosure-type multipart/form-data");
        }

        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(media.Boundary).ToString(), body)
        {
            HeadersLengthLimit = 16 * 1024,
            HeadersCountLimit = 16,
            BodyLengthLimit = null, // the file may be as large as a PUT; fields are bounded by ReadFieldAsync
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Length == 0)
                {
                    throw Malformed("a form part without a form-data name");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString().ToLowerInvariant();
                if (name == "file")
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
                    return new PostForm(fields, fileName.Length == 0 ? null : fileName, section.Body);
                }

                if (fields.Count == MaxFields)
                {
                    throw Malformed($"more than {MaxFields} form fields");
                }

                var value = await ReadFieldAsync(section.Body, cancellationToken);
                if (!fields.TryAdd(name, value))
                {
                    throw new S3Exception(S3ErrorCode.InvalidArgument, $"The form field {name} is given more than once.");
                }
            }
        }
        catch (InvalidDataException error)
        {
            throw Malformed(error.Message);
        }

        throw new S3Exception(S3ErrorCode.InvalidArgument, "POST requires exactly one file upload per request.")
        {
            Details = [new("ArgumentName", "file"), new("ArgumentValue", "0")],
        };
    }

    private static async Task<string> ReadFieldAsync(Stream section, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxFieldBytes && (read = await section.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxFieldBytes)
        {
            throw Malformed($"a form field longer than {MaxFieldBytes} bytes");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a form field that is not UTF-8");
        }
    }

    private static S3Exception Malformed(string why) =>
        new(S3ErrorCode.MalformedPOSTRequest, $"The body of your POST request is not well-formed multipart/form-data: {why}.");
}
