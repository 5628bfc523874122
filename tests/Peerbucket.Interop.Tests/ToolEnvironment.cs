namespace Peerbucket.Interop.Tests;

/// <summary>Environment for S3 command-line tools: test credentials, us-east-1, a private HOME, no inherited AWS config.</summary>
public static class ToolEnvironment
{
    private static readonly string[] Inherited =
    [
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION", "AWS_CA_BUNDLE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy",
        "https_proxy", "ALL_PROXY", "all_proxy", "RCLONE_CONFIG", "S3CMD_CONFIG",
    ];

    public static Dictionary<string, string?> ForS3(PeerbucketServer server, string home) => ForS3(server.AccessKey, server.SecretKey, home);

    public static Dictionary<string, string?> ForS3(string accessKey, string secretKey, string home)
    {
        var environment = Inherited.ToDictionary(name => name, _ => (string?)null);
        environment["AWS_ACCESS_KEY_ID"] = accessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
        environment["AWS_DEFAULT_REGION"] = "us-east-1";
        environment["HOME"] = home;
        environment["NO_PROXY"] = "*";
        environment["no_proxy"] = "*";
        return environment;
    }
}
