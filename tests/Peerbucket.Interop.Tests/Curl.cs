namespace Peerbucket.Interop.Tests;

/// <summary>curl as an anonymous (or --aws-sigv4) HTTP client: status code and body file.</summary>
public static class Curl
{
    /// <summary>Fetches <paramref name="url"/> into <paramref name="outputFile"/>; returns the HTTP status code.</summary>
    public static async Task<int> GetAsync(string url, string outputFile, params string[] extraArguments)
    {
        var result = await Tool.RunCheckedAsync("curl",
            ["-sS", "--noproxy", "*", "-o", outputFile, "-w", "%{http_code}", .. extraArguments, url],
            new Dictionary<string, string?> { ["HOME"] = Path.GetDirectoryName(outputFile) });
        return int.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
