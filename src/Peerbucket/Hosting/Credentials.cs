using System.Security.Cryptography;
using System.Text.Json;

namespace Peerbucket.Hosting;

/// <summary>
/// The owner's access key pair: from PEERBUCKET_ACCESS_KEY / PEERBUCKET_SECRET_KEY, else the pair stored in the data
/// directory, else a new random pair written there (mode 0600). There is no built-in default pair.
/// </summary>
internal sealed record Credentials(string AccessKey, string SecretKey)
{
    public const string FileName = "credentials.json";

    /// <summary>Returns the pair and whether it was generated just now (so the caller prints it once).</summary>
    public static (Credentials Credentials, bool Generated) Load(string dataDirectory)
    {
        var access = Environment.GetEnvironmentVariable("PEERBUCKET_ACCESS_KEY");
        var secret = Environment.GetEnvironmentVariable("PEERBUCKET_SECRET_KEY");
        if (!string.IsNullOrEmpty(access) && !string.IsNullOrEmpty(secret))
        {
            return (new Credentials(access, secret), false);
        }

        if (!string.IsNullOrEmpty(access) || !string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException("Set both PEERBUCKET_ACCESS_KEY and PEERBUCKET_SECRET_KEY, or neither.");
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return (JsonSerializer.Deserialize<Credentials>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is not a credentials file."), false);
        }

        var generated = new Credentials(
            "PB" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 18),
            RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40));
        Directory.CreateDirectory(dataDirectory);
        var temp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, fileOptions))
        {
            JsonSerializer.Serialize(stream, generated);
        }

        File.Move(temp, path, overwrite: true);
        return (generated, true);
    }
}
