using Microsoft.Net.Http.Headers;

namespace Sdes.App.Features.Shared;

/// <summary>The headers every download (transcript, audit export, attachment, zip) sends: always a download with a safe
/// name (ASCII fallback plus the UTF-8 name), never cached, never sniffed.</summary>
public static class DownloadResponse
{
    public static void Start(HttpContext http, string fileName, string contentType)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.ContentType = contentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
    }
}
