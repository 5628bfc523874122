using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Peerbucket.S3.Http;
using Peerbucket.S3.Writes;
using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Tests.Http;

/// <summary>The endpoint's last resort, over a real store: a component that throws makes the request InternalError.</summary>
public sealed class S3EndpointTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-endpoint-" + Guid.NewGuid().ToString("N"));
    private readonly ObjectStore _store;
    private readonly RecordingLogger _logger = new();
    private readonly S3Endpoint _endpoint;

    public S3EndpointTests()
    {
        _store = new ObjectStore(_directory);
        var options = new S3Options { AccessKey = "AKIDEXAMPLE", SecretKey = "secret" };
        _endpoint = new S3Endpoint(_store, options, new ObjectWriter(_store, new NoIndex(), TimeProvider.System), new ThrowingDocuments(),
            new EgressMeter(), TimeProvider.System, _logger);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AnUnexpectedExceptionIsInternalErrorInS3XmlLoggedOnceAndCounted()
    {
        await _store.Buckets.CreateAsync("pub", "us-east-1", CannedAcl.PublicRead, DateTimeOffset.UtcNow);
        await using (var blob = _store.Blobs.CreateWriter())
        {
            await blob.WriteAsync("v"u8.ToArray());
            await _store.Blobs.PublishAsync(blob);
            _store.Release((await _store.Objects.CommitAsync(
                new ObjectWrite("pub", "k", "etag", new ObjectAttributes { Acl = CannedAcl.PublicRead }, new Dictionary<string, string>(), null),
                blob.BlobId, 1, DateTimeOffset.UtcNow)).Released);
        }

        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = "/pub/k";
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = "/pub/k";
        http.Request.Host = new HostString("127.0.0.1");
        var body = new MemoryStream();
        http.Response.Body = body;

        await _endpoint.HandleAsync(http);

        var requestId = http.Response.Headers["x-amz-request-id"].ToString();
        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal(
            $"""<?xml version="1.0" encoding="utf-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><Resource>/pub/k</Resource><RequestId>{requestId}</RequestId></Error>""",
            Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal(1, _endpoint.InternalErrors);
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(S3Endpoint.InternalErrorEvent, entry.Event);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains(requestId, entry.Message, StringComparison.Ordinal);
    }

    private sealed class NoIndex : IContentIndexer
    {
        public IContentHasher? CreateHasher(string key, long length) => null;

        public ContentFacts Reindex(string key, byte[] facts) => throw new NotSupportedException();
    }

    private sealed class ThrowingDocuments : IContentDocuments
    {
        public IReadOnlyList<KeyValuePair<string, string>> HeadersFor(ObjectRecord obj) => throw new InvalidOperationException("a bug");

        public Task<ContentDocument> GetAsync(ObjectRecord obj, ContentDocumentKind kind, string? format, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug");
    }

    private sealed class RecordingLogger : ILogger<S3Endpoint>
    {
        public List<(LogLevel Level, EventId Event, Exception? Exception, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId, exception, formatter(state, exception)));
    }
}
