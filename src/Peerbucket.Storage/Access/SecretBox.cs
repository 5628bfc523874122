using System.Security.Cryptography;

namespace Peerbucket.Storage.Access;

/// <summary>
/// Keeps users' secret keys encrypted at rest (AES-256-GCM). The key is the operator's: PEERBUCKET_SECRETS_KEY (32
/// bytes, base64) when set, else <c>secrets.key</c> in the data directory, made on first use (mode 0600). Sealed form:
/// nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class SecretBox(string dataDirectory)
{
    public const string FileName = "secrets.key";
    public const string EnvironmentVariable = "PEERBUCKET_SECRETS_KEY";

    private byte[]? _key;

    public byte[] Seal(byte[] plain)
    {
        var sealedBytes = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(Key(), 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return sealedBytes;
    }

    /// <summary>The plain bytes; a CryptographicException when the box was sealed under another key or altered.</summary>
    public byte[] Open(byte[] sealedBytes)
    {
        if (sealedBytes.Length < 28)
        {
            throw new CryptographicException("A sealed secret is at least 28 bytes.");
        }

        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(Key(), 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return plain;
    }

    private byte[] Key()
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            var key = Convert.FromBase64String(configured);
            return _key = key.Length == 32 ? key : throw new InvalidOperationException($"{EnvironmentVariable} must be 32 bytes, base64.");
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(RandomNumberGenerator.GetBytes(32));
                stream.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another process (the CLI beside the server) made it first
            }
        }

        var stored = File.ReadAllBytes(path);
        return _key = stored.Length == 32 ? stored : throw new InvalidOperationException($"{path} must hold 32 bytes.");
    }
}
