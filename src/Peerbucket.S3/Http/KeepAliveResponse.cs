using System.Text;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Http;

/// <summary>
/// S3's answer to long operations (CompleteMultipartUpload of a huge object): when the work outlasts
/// <see cref="Interval"/>, the 200 status and the XML declaration go out at once and a space follows every interval,
/// so clients' read timeouts never fire; the result document (or an Error document) ends the body.
/// </summary>
internal static class KeepAliveResponse
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly byte[] Declaration = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    public static async Task RunAsync(S3Request request, Func<Task<byte[]>> work)
    {
        var task = work();
        var started = false;
        while (await Task.WhenAny(task, Task.Delay(Interval, request.Aborted)) != task)
        {
            request.Aborted.ThrowIfCancellationRequested();
            if (!started)
            {
                started = true;
                request.Response.StatusCode = StatusCodes.Status200OK;
                request.Response.ContentType = "application/xml";
                await request.Response.Body.WriteAsync(Declaration, request.Aborted);
            }
            else
            {
                await request.Response.Body.WriteAsync(" "u8.ToArray(), request.Aborted);
            }

            await request.Response.Body.FlushAsync(request.Aborted);
        }

        if (!started)
        {
            await request.WriteXmlAsync(await task);
            return;
        }

        byte[] document;
        try
        {
            document = await task;
        }
        catch (S3Exception error)
        {
            document = S3Xml.Document("Error", w =>
            {
                w.WriteElementString("Code", error.Code.ToString());
                w.WriteElementString("Message", error.Message);
                w.WriteElementString("RequestId", request.Response.Headers["x-amz-request-id"].ToString());
            }, inNamespace: false);
        }

        await request.Response.Body.WriteAsync(WithoutDeclaration(document), request.Aborted);
    }

    private static ReadOnlyMemory<byte> WithoutDeclaration(byte[] document)
    {
        var end = document.AsSpan().IndexOf("?>"u8);
        return end < 0 ? document : document.AsMemory(end + 2);
    }
}
