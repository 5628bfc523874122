using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Http;

/// <summary>Renders S3's XML error document; HEAD and 304 responses carry no body.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext http, S3Exception error, string resource, string requestId)
    {
        var status = S3Errors.StatusOf(error.Code);
        http.Response.StatusCode = status;
        if (HttpMethods.IsHead(http.Request.Method) || status == StatusCodes.Status304NotModified)
        {
            return;
        }

        var body = S3Xml.Document("Error", w =>
        {
            w.UnqualifiedElement("Code", error.Code.ToString());
            w.UnqualifiedElement("Message", error.Message);
            foreach (var (name, value) in error.Details)
            {
                w.UnqualifiedElement(name, value);
            }

            w.UnqualifiedElement("Resource", resource);
            w.UnqualifiedElement("RequestId", requestId);
        }, inNamespace: false);
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body);
    }
}
