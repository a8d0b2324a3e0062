using System.IO.Compression;
using System.Text;

namespace Sdes.Tests.Domain.Attachments;

/// <summary>Real files of each allowed type, built in memory: minimal but genuine headers for the binary formats, real zip
/// packages for .zip, .docx and .xlsx made with System.IO.Compression.</summary>
internal static class SampleFiles
{
    // A 1x1 PNG and a 1x1 GIF89a as image tools write them.
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static byte[] Gif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    // SOI, a JFIF APP0 segment, EOI.
    public static byte[] Jpeg { get; } =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
        0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
    ];

    public static byte[] Pdf { get; } = Encoding.Latin1.GetBytes(
        "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
        + "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

    // The empty archive 7-Zip writes: signature, version 0.4, start header CRC, then a zero next-header offset, size and CRC.
    public static byte[] SevenZip { get; } =
    [
        0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04, 0x8D, 0x9B, 0xD5, 0x0F, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// <summary>A compound file (OLE2) header sector as Word 97-2003 and Excel 97-2003 files begin.</summary>
    public static byte[] Ole2 { get; } = BuildOle2Header();

    /// <summary>"Café £5" in Windows-1252: é is 0xE9, £ is 0xA3.</summary>
    public static byte[] CsvWindows1252 { get; } = [.. "name,amount\r\nCaf"u8, 0xE9, (byte)',', 0xA3, .. "5\r\n"u8];

    public static byte[] CsvUtf8 { get; } = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("name,amount\r\nCafé,£5\r\nŁódź,€7\r\n")];

    public static byte[] Text { get; } = Encoding.UTF8.GetBytes("Meter exchanged on 3 March.\n\tSerial: E12Z345678\f\n");

    /// <summary>What Excel's "Unicode Text" and Notepad's "UTF-16 LE" write: a byte order mark, then UTF-16LE.</summary>
    public static byte[] TextUtf16LittleEndian { get; } = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("MPAN\tMSN\r\n1200023305967\tE12Z345678\r\n")];

    public static byte[] Dat { get; } = [0x00, 0x01, 0x02, 0xFF, 0x10, 0x00];

    /// <summary>A DOS/PE executable's start: "MZ", the DOS header with e_lfanew = 0x80, the stub text, "PE\0\0", then NULs.</summary>
    public static byte[] Executable { get; } = BuildExecutable();

    public static byte[] Zip { get; } = BuildZip(("readings/march.csv", Encoding.ASCII.GetBytes("mpan,read\r\n1200023305967,123\r\n")));

    public static byte[] EmptyZip { get; } = [0x50, 0x4B, 0x05, 0x06, .. new byte[18]];

    public static byte[] Docx { get; } = BuildDocx();

    public static byte[] Xlsx { get; } = BuildXlsx();

    public static byte[] ByName(string name) => name switch
    {
        nameof(Png) => Png,
        nameof(Gif) => Gif,
        nameof(Jpeg) => Jpeg,
        nameof(Pdf) => Pdf,
        nameof(SevenZip) => SevenZip,
        nameof(Ole2) => Ole2,
        nameof(CsvWindows1252) => CsvWindows1252,
        nameof(CsvUtf8) => CsvUtf8,
        nameof(Text) => Text,
        nameof(TextUtf16LittleEndian) => TextUtf16LittleEndian,
        nameof(Dat) => Dat,
        nameof(Executable) => Executable,
        nameof(Zip) => Zip,
        nameof(EmptyZip) => EmptyZip,
        nameof(Docx) => Docx,
        nameof(Xlsx) => Xlsx,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such sample."),
    };

    /// <summary>A Word package; <paramref name="bigPartBytes"/> adds a stored (uncompressed) random media part before the
    /// document part, <paramref name="extraParts"/> adds that many small parts with long names after it, and
    /// <paramref name="comment"/> sets the archive comment.</summary>
    public static byte[] BuildDocx(int bigPartBytes = 0, int extraParts = 0, string? comment = null)
    {
        var parts = new List<(string, byte[])>
        {
            ("[Content_Types].xml", Encoding.UTF8.GetBytes(
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""")),
            ("_rels/.rels", Encoding.UTF8.GetBytes(
                """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""")),
        };
        if (bigPartBytes > 0)
        {
            var media = new byte[bigPartBytes];
            new Random(42).NextBytes(media);
            parts.Add(("word/media/image1.bin", media));
        }

        parts.Add(("word/document.xml", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Crossed meter evidence</w:t></w:r></w:p></w:body></w:document>""")));
        for (var i = 0; i < extraParts; i++)
        {
            parts.Add(($"word/customXml/item-{i:D5}-{new string('x', 120)}.xml", "<a/>"u8.ToArray()));
        }

        return BuildZip(comment, [.. parts]);
    }

    public static byte[] BuildXlsx() => BuildZip(
        ("[Content_Types].xml", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""")),
        ("_rels/.rels", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""")),
        ("xl/workbook.xml", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Readings" sheetId="1" r:id="rId1"/></sheets></workbook>""")),
        ("xl/_rels/workbook.xml.rels", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""")),
        ("xl/worksheets/sheet1.xml", Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>""")));

    public static byte[] BuildZip(params (string Name, byte[] Content)[] entries) => BuildZip(null, entries);

    private static byte[] BuildZip(string? comment, (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var level = content.Length > 64 * 1024 ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
                using var stream = archive.CreateEntry(name, level).Open();
                stream.Write(content);
            }

            if (comment is not null)
            {
                archive.Comment = comment;
            }
        }

        return buffer.ToArray();
    }

    private static byte[] BuildOle2Header()
    {
        var header = new byte[1024];
        byte[] signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(header, 0);
        header[0x18] = 0x3E; // minor version
        header[0x1A] = 0x03; // major version 3: 512-byte sectors
        header[0x1C] = 0xFE; // byte order mark FFFE
        header[0x1D] = 0xFF;
        header[0x1E] = 0x09; // sector shift: 2^9
        header[0x20] = 0x06; // mini sector shift: 2^6
        header.AsSpan(0x4C, 436).Fill(0xFF); // unused DIFAT slots
        return header;
    }

    private static byte[] BuildExecutable()
    {
        var exe = new byte[1024];
        "MZ"u8.CopyTo(exe);
        exe[0x02] = 0x90;
        exe[0x04] = 0x03;
        exe[0x08] = 0x04;
        exe[0x0C] = 0xFF;
        exe[0x0D] = 0xFF;
        exe[0x10] = 0xB8;
        exe[0x18] = 0x40;
        exe[0x3C] = 0x80; // e_lfanew
        "This program cannot be run in DOS mode.\r\r\n$"u8.CopyTo(exe.AsSpan(0x4E));
        "PE\0\0"u8.CopyTo(exe.AsSpan(0x80));
        return exe;
    }
}
