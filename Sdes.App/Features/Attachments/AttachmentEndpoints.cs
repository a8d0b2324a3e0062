using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Sdes.App.Features.Shared;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Attachments;

namespace Sdes.App.Features.Attachments;

/// <summary>Downloads (spec 10.1(b)viii): one clean file, or all clean files of a communication as one streamed zip. Cookie
/// auth, the access rule, audited; never cached, never sniffed, always a download.</summary>
public static class AttachmentEndpoints
{
    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/attachments/{id:guid}", FileAsync).RequireAuthorization();
        endpoints.MapGet("/communications/{reference}/attachments.zip", ZipAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> FileAsync(HttpContext http, AttachmentDownloads downloads, ILoggerFactory logs, Guid id)
    {
        DownloadItem item;
        try
        {
            item = await downloads.AuthorizeFileAsync(http.User, id, http.RequestAborted);
            await downloads.VerifyAsync(item, http.RequestAborted);
        }
        catch (Exception ex) when (Refusal(ex, logs) is { } refusal)
        {
            return refusal;
        }

        DownloadResponse.Start(http, item.FileName, "application/octet-stream");
        await using var plain = await downloads.OpenAsync(item, http.RequestAborted);
        await CopyOrAbortAsync(http, plain, logs);
        return Results.Empty;
    }

    private static async Task<IResult> ZipAsync(HttpContext http, AttachmentDownloads downloads, ILoggerFactory logs, string reference)
    {
        (string Reference, IReadOnlyList<DownloadItem> Files) zip;
        try
        {
            zip = await downloads.AuthorizeZipAsync(http.User, reference, http.RequestAborted);
            foreach (var file in zip.Files)
            {
                await downloads.VerifyAsync(file, http.RequestAborted);
            }
        }
        catch (Exception ex) when (Refusal(ex, logs) is { } refusal)
        {
            return refusal;
        }

        DownloadResponse.Start(http, $"{zip.Reference}-attachments.zip", "application/zip");
        // ZipArchive writes its central directory synchronously when disposed; the response is still streamed, file by file.
        http.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var archive = new ZipArchive(http.Response.Body, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var file in zip.Files)
            {
                var entry = archive.CreateEntry(UniqueName(names, file.FileName), CompressionLevel.Fastest);
                await using var target = entry.Open();
                await using var plain = await downloads.OpenAsync(file, http.RequestAborted);
                await plain.CopyToAsync(target, http.RequestAborted);
            }
        }
        catch (AttachmentIntegrityException ex)
        {
            logs.CreateLogger(typeof(AttachmentEndpoints)).LogError("Stored attachment failed its integrity check during a zip: {Reason}", ex.Message);
            http.Abort();
        }

        return Results.Empty;
    }

    private static IResult? Refusal(Exception ex, ILoggerFactory logs) => ex switch
    {
        NotFoundException => Results.NotFound(),
        NotDownloadableException or DomainException => Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status409Conflict),
        AttachmentIntegrityException or FileNotFoundException => Damaged(ex, logs),
        _ => null,
    };

    private static IResult Damaged(Exception ex, ILoggerFactory logs)
    {
        logs.CreateLogger(typeof(AttachmentEndpoints)).LogError("Stored attachment unreadable: {Kind} {Reason}", ex.GetType().Name, ex.Message);
        return Results.Text("This file failed its integrity check and cannot be downloaded. Nothing of it was sent. Please tell the SDES service desk.",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
    }

    private static async Task CopyOrAbortAsync(HttpContext http, Stream plain, ILoggerFactory logs)
    {
        try
        {
            await plain.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
        catch (AttachmentIntegrityException ex)
        {
            // Changed since it was verified: stop mid-response so the browser reports a failed download, never a wrong file.
            logs.CreateLogger(typeof(AttachmentEndpoints)).LogError("Stored attachment failed its integrity check mid-download: {Reason}", ex.Message);
            http.Abort();
        }
    }

    private static string UniqueName(HashSet<string> used, string name)
    {
        var candidate = name;
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = $"{stem} ({n}){extension}";
        }

        return candidate;
    }
}
