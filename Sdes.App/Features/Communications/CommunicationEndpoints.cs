using CsvHelper;
using Sdes.App.Features.Shared;
using Sdes.Domain.Common;

namespace Sdes.App.Features.Communications;

public static class CommunicationEndpoints
{
    public static IEndpointRouteBuilder MapCommunicationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/communications/{reference}/transcript.csv", TranscriptAsync).RequireAuthorization();
        return endpoints;
    }

    /// <summary>Spec 10.1(b)vii. Cells that start with = + - @ (or a tab or carriage return) are escaped by CsvHelper so a
    /// spreadsheet shows them as text and never runs them as formulas.</summary>
    private static async Task<IResult> TranscriptAsync(HttpContext http, CommunicationService communications, string reference)
    {
        IReadOnlyList<TranscriptLine> lines;
        try
        {
            lines = await communications.TranscriptAsync(http.User, reference, http.RequestAborted);
        }
        catch (NotFoundException)
        {
            return Results.NotFound();
        }
        catch (DomainException ex)
        {
            return Results.Text(ex.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status409Conflict);
        }

        var name = $"{(lines.Count > 0 ? lines[0].Reference : "communication")}-transcript.csv";
        DownloadResponse.Start(http, name, "text/csv; charset=utf-8");
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true, NewLine = "\r\n" };
        await using var csv = CsvWriter.Create(http.Response.Body, options, leaveOpen: true);
        csv.WriteHeader(["Reference", "Time (UK)", "Entry", "Organisation", "By", "Text"]);
        foreach (var line in lines)
        {
            csv.WriteRecord([line.Reference, UkTime.ToUk(line.At).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                line.Kind, line.Organisation, line.Author, line.Text]);
        }

        await csv.FlushAsync(http.RequestAborted);
        return Results.Empty;
    }
}
