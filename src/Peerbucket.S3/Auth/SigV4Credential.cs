namespace Peerbucket.S3.Auth;

/// <summary>The Credential of a SigV4 request: access-key/yyyyMMdd/region/service/aws4_request.</summary>
internal sealed record SigV4Credential(string AccessKey, string Date, string Region, string Service)
{
    public const string Terminator = "aws4_request";

    /// <summary>date/region/service/aws4_request.</summary>
    public string Scope => $"{Date}/{Region}/{Service}/{Terminator}";

    /// <summary>Parses and checks the shape; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string value, out SigV4Credential? credential, out string? problem)
    {
        credential = null;
        var parts = value.Split('/');
        if (parts.Length != 5 || parts.Any(static p => p.Length == 0))
        {
            problem = $"the Credential '{value}' is not of the form access-key/date/region/service/aws4_request";
            return false;
        }

        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiDigit))
        {
            problem = $"the Credential date '{parts[1]}' is not in yyyyMMdd format";
            return false;
        }

        if (parts[3] != "s3")
        {
            problem = $"the Credential service '{parts[3]}' is incorrect; expecting 's3'";
            return false;
        }

        if (parts[4] != Terminator)
        {
            problem = $"the Credential terminator '{parts[4]}' is incorrect; expecting 'aws4_request'";
            return false;
        }

        credential = new SigV4Credential(parts[0], parts[1], parts[2], parts[3]);
        problem = null;
        return true;
    }
}
