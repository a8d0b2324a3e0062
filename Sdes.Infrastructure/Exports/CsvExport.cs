using System.Text;

namespace Sdes.Infrastructure.Exports;

/// <summary>RFC 4180 CSV, UTF-8 with a BOM so spreadsheets read it as UTF-8. Cells that a spreadsheet would treat as a
/// formula (starting with = + - @, tab or carriage return) get a leading apostrophe, so an exported name or subject can
/// never execute.</summary>
public sealed class CsvExport(TextWriter writer)
{
    public static CsvExport Create(Stream stream) =>
        new(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true));

    public async Task WriteRowAsync(IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(Escape(cell));
            first = false;
        }

        await writer.WriteAsync("\r\n");
    }

    public Task FlushAsync() => writer.FlushAsync();

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
