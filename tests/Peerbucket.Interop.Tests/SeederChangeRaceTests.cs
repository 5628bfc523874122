using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// Handshakes racing a change that stops an object being served (ACL to private, bucket policy deleted, object
/// deleted, object overwritten). After the change's response, every connection still open asks for blocks: none may
/// get a byte of the object, and every connection must be closed within 3 s of the change. (The race this guards:
/// a session that registered with the seeder after the change's re-check walk kept serving the private object.)
/// </summary>
public sealed class SeederChangeRaceTests(SeederSwarmFixture fixture) : IClassFixture<SeederSwarmFixture>
{
    private const int Size = 300_000;
    private static readonly int Rounds = int.Parse(Environment.GetEnvironmentVariable("RACE_ROUNDS") ?? "6", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly int Handshakes = int.Parse(Environment.GetEnvironmentVariable("RACE_N") ?? "40", System.Globalization.CultureInfo.InvariantCulture);

    public enum Change
    {
        AclMadePrivate,
        PolicyDeleted,
        Deleted,
        Overwritten,
    }

    [Theory]
    [InlineData(Change.AclMadePrivate)]
    [InlineData(Change.PolicyDeleted)]
    [InlineData(Change.Deleted)]
    [InlineData(Change.Overwritten)]
    public async Task NoSessionServesAByteAfterTheChange(Change change)
    {
        var client = fixture.Server.CreateClient();
        var bucket = fixture.NewBucketName("race-" + change.ToString().ToLowerInvariant());
        await client.PutBucketAsync(bucket);
        var handshaken = 0;
        var failures = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var key = $"r{round}.bin";
            var infoHash = await PublishAsync(client, bucket, key, change, round);

            // Handshakes spread over ~60 ms; the change is sent in the middle of them.
            var peers = Enumerable.Range(0, Handshakes).Select(i => HandshakeAsync(infoHash, TimeSpan.FromMilliseconds(i * 1.5))).ToList();
            await Task.Delay(TimeSpan.FromMilliseconds(Handshakes * 0.75));
            await ApplyAsync(client, bucket, key, change, round);
            var changed = Stopwatch.GetTimestamp();

            foreach (var peer in await Task.WhenAll(peers))
            {
                using (peer.Socket)
                {
                    if (!peer.Greeted)
                    {
                        continue;
                    }

                    handshaken++;
                    var outcome = await RequestAfterChangeAsync(peer.Socket, changed);
                    if (outcome is not null)
                    {
                        failures.Add($"round {round}: {outcome}");
                    }
                }
            }
        }

        Assert.True(handshaken > 0, "no handshake was answered: the race was never run");
        Assert.True(failures.Count == 0, $"{failures.Count} of {handshaken} handshaken sessions outlived the change ({change}):\n"
            + string.Join('\n', failures.Take(20)));
    }

    /// <summary>Writes the object public (by ACL, or by the bucket policy for <see cref="Change.PolicyDeleted"/>) and
    /// returns its v1 info-hash, fetched anonymously.</summary>
    private async Task<byte[]> PublishAsync(AmazonS3Client client, string bucket, string key, Change change, int round)
    {
        var data = Files.RandomBytes(Size, 100 + round);
        if (change == Change.PolicyDeleted)
        {
            await client.PutBucketPolicyAsync(bucket,
                $$"""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) });
        }
        else
        {
            await Torrents.PutPublicAsync(client, bucket, key, data);
        }

        using var http = new HttpClient();
        var torrent = TorrentFile.Parse(await http.GetByteArrayAsync(Torrents.ObjectUrl(fixture.Server, bucket, key) + "?torrent"));
        return torrent.InfoHashes.V1.ToArray();
    }

    private static async Task ApplyAsync(AmazonS3Client client, string bucket, string key, Change change, int round)
    {
        switch (change)
        {
            case Change.AclMadePrivate:
                await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = key, ACL = S3CannedACL.Private });
                break;
            case Change.PolicyDeleted:
                await client.DeleteBucketPolicyAsync(bucket);
                break;
            case Change.Deleted:
                await client.DeleteObjectAsync(bucket, key);
                break;
            case Change.Overwritten:
                await Torrents.PutPublicAsync(client, bucket, key, Files.RandomBytes(Size, 900 + round));
                break;
        }
    }

    private sealed record Peer(Socket Socket, bool Greeted);

    /// <summary>Connects, sends a fast + extension handshake and interested, and waits (2 s at most) for the seeder's
    /// handshake back.</summary>
    private async Task<Peer> HandshakeAsync(byte[] infoHash, TimeSpan delay)
    {
        await Task.Delay(delay);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync("127.0.0.1", fixture.PeerPort);
            var hello = new byte[68 + 5];
            hello[0] = 19;
            "BitTorrent protocol"u8.CopyTo(hello.AsSpan(1));
            hello[20 + 5] = 0x10;
            hello[20 + 7] = 0x04;
            infoHash.CopyTo(hello.AsSpan(28));
            "-XX0001-"u8.CopyTo(hello.AsSpan(48));
            Random.Shared.NextBytes(hello.AsSpan(56, 12));
            BinaryPrimitives.WriteInt32BigEndian(hello.AsSpan(68), 1);
            hello[72] = 2; // interested
            await socket.SendAsync(hello);
            var reply = new byte[68];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return new Peer(socket, await ReadExactlyAsync(socket, reply, timeout.Token) && reply.AsSpan(28, 20).SequenceEqual(infoHash));
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            return new Peer(socket, false);
        }
    }

    /// <summary>Asks for every block of the first pieces and reads until the seeder closes; returns what went wrong
    /// (a piece message, or no close within 3 s of the change), or null.</summary>
    private static async Task<string?> RequestAfterChangeAsync(Socket socket, long changed)
    {
        var requests = new byte[17 * 16];
        for (var i = 0; i < 16; i++)
        {
            var request = requests.AsSpan(i * 17, 17);
            BinaryPrimitives.WriteInt32BigEndian(request, 13);
            request[4] = 6;
            BinaryPrimitives.WriteInt32BigEndian(request[5..], i / 4);
            BinaryPrimitives.WriteInt32BigEndian(request[9..], (i % 4) * 16384);
            BinaryPrimitives.WriteInt32BigEndian(request[13..], 16384);
        }

        try
        {
            await socket.SendAsync(requests);
        }
        catch (SocketException)
        {
            return null; // closed already
        }

        var deadline = TimeSpan.FromSeconds(3) - Stopwatch.GetElapsedTime(changed);
        using var timeout = new CancellationTokenSource(deadline > TimeSpan.Zero ? deadline : TimeSpan.FromMilliseconds(1));
        var header = new byte[4];
        try
        {
            while (await ReadExactlyAsync(socket, header, timeout.Token))
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(header);
                if (length == 0)
                {
                    continue;
                }

                var body = new byte[length];
                if (!await ReadExactlyAsync(socket, body, timeout.Token))
                {
                    return null;
                }

                if (body[0] == 7)
                {
                    return $"a piece message ({length - 9} bytes) came {Stopwatch.GetElapsedTime(changed).TotalMilliseconds:F0} ms after the change";
                }
            }

            return null;
        }
        catch (OperationCanceledException)
        {
            return "the connection was still open 3 s after the change";
        }
        catch (SocketException)
        {
            return null; // reset: closed
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
