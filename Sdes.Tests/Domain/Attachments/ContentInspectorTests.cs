using System.Text;
using Sdes.Domain.Attachments;

namespace Sdes.Tests.Domain.Attachments;

public sealed class ContentInspectorTests
{
    public static TheoryData<string, string> RealFiles => new()
    {
        { "7z", nameof(SampleFiles.SevenZip) },
        { "csv", nameof(SampleFiles.CsvUtf8) },
        { "csv", nameof(SampleFiles.CsvWindows1252) },
        { "dat", nameof(SampleFiles.Dat) },
        { "doc", nameof(SampleFiles.Ole2) },
        { "docx", nameof(SampleFiles.Docx) },
        { "gif", nameof(SampleFiles.Gif) },
        { "jpeg", nameof(SampleFiles.Jpeg) },
        { "jpg", nameof(SampleFiles.Jpeg) },
        { "pdf", nameof(SampleFiles.Pdf) },
        { "png", nameof(SampleFiles.Png) },
        { "txt", nameof(SampleFiles.Text) },
        { "txt", nameof(SampleFiles.TextUtf16LittleEndian) },
        { "xls", nameof(SampleFiles.Ole2) },
        { "xlsx", nameof(SampleFiles.Xlsx) },
        { "zip", nameof(SampleFiles.Zip) },
        { "zip", nameof(SampleFiles.EmptyZip) },
        { "zip", nameof(SampleFiles.Docx) },
    };

    public static TheoryData<string, string> WrongContent => new()
    {
        { "7z", nameof(SampleFiles.Zip) },
        { "doc", nameof(SampleFiles.Docx) },
        { "docx", nameof(SampleFiles.Ole2) },
        { "docx", nameof(SampleFiles.Zip) },
        { "docx", nameof(SampleFiles.EmptyZip) },
        { "gif", nameof(SampleFiles.Png) },
        { "jpeg", nameof(SampleFiles.Gif) },
        { "jpg", nameof(SampleFiles.Png) },
        { "pdf", nameof(SampleFiles.Text) },
        { "png", nameof(SampleFiles.Jpeg) },
        { "xls", nameof(SampleFiles.Xlsx) },
        { "xlsx", nameof(SampleFiles.Pdf) },
        { "xlsx", nameof(SampleFiles.Docx) },
        { "zip", nameof(SampleFiles.SevenZip) },
        { "txt", nameof(SampleFiles.Png) },
        { "csv", nameof(SampleFiles.Ole2) },
    };

    [Fact]
    public void RealFiles_CoverEveryAllowedExtension() =>
        Assert.Equal(AllowedFileTypes.Extensions.Order(), RealFiles.Select(row => (string)row[0]).Distinct().Order());

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void Complete_WithRealContentOfThatType_Accepts(string extension, string sample)
    {
        var verdict = Inspect(extension, SampleFiles.ByName(sample));

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Null(verdict.Reason);
    }

    [Theory]
    [MemberData(nameof(WrongContent))]
    public void Complete_WithAnotherTypesContent_IsRefusedNamingTheExtension(string extension, string sample)
    {
        var verdict = Inspect(extension, SampleFiles.ByName(sample));

        Assert.False(verdict.Accepted);
        Assert.Contains($".{extension}", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    [MemberData(nameof(WrongContent))]
    public void Append_InOneByteChunks_GivesTheSameVerdictAsOneChunk(string extension, string sample)
    {
        var content = SampleFiles.ByName(sample);

        Assert.Equal(Inspect(extension, content), Inspect(extension, content, chunkSize: 1));
    }

    [Fact]
    public void Complete_WithAPdfBehindOtherTypesName_SaysWhatItIsNot()
    {
        var verdict = Inspect("pdf", SampleFiles.Png, fileName: "report.pdf");

        Assert.Equal("report.pdf is not a PDF file: its content does not match the .pdf extension.", verdict.Reason);
    }

    [Fact]
    public void Complete_WithoutAFileName_SpeaksOfThisFile()
    {
        var verdict = new ContentInspector("png").Complete();

        Assert.Equal("This file is empty, so it cannot be a PNG image.", verdict.Reason);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("txt")]
    [InlineData("csv")]
    [InlineData("docx")]
    [InlineData("zip")]
    [InlineData("png")]
    [InlineData("doc")]
    public void Complete_WithARenamedExecutable_SaysItIsAProgram(string extension)
    {
        var verdict = Inspect(extension, SampleFiles.Executable, fileName: $"invoice.{extension}");

        Assert.False(verdict.Accepted);
        Assert.Equal($"invoice.{extension} is a program (executable), not a .{extension} file, and cannot be attached.", verdict.Reason);
    }

    [Fact]
    public void Complete_WithAnExecutableAsDat_LeavesItToTheVirusScan() =>
        Assert.True(Inspect("dat", SampleFiles.Executable).Accepted);

    [Fact]
    public void Complete_WithTextThatStartsWithMz_IsStillText() =>
        Assert.True(Inspect("csv", "MZ,postcode\r\nMZ1,AB1 2CD\r\n"u8.ToArray()).Accepted);

    [Theory]
    [InlineData("7z")]
    [InlineData("doc")]
    [InlineData("docx")]
    [InlineData("gif")]
    [InlineData("jpeg")]
    [InlineData("jpg")]
    [InlineData("pdf")]
    [InlineData("png")]
    [InlineData("xls")]
    [InlineData("xlsx")]
    [InlineData("zip")]
    public void Complete_WithAnEmptyFileOfABinaryType_IsRefused(string extension)
    {
        var verdict = Inspect(extension, []);

        Assert.False(verdict.Accepted);
        Assert.Contains("is empty", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("csv")]
    [InlineData("dat")]
    public void Complete_WithAnEmptyFileOfATextOrDataType_Accepts(string extension) =>
        Assert.True(Inspect(extension, []).Accepted);

    [Fact]
    public void Complete_WithADocxRenamedXlsx_SaysItIsAWordDocument()
    {
        var verdict = Inspect("xlsx", SampleFiles.Docx, fileName: "readings.xlsx");

        Assert.Equal("readings.xlsx is a Word document, not an Excel workbook: its content does not match the .xlsx extension.",
            verdict.Reason);
    }

    [Fact]
    public void Complete_WithAnXlsxRenamedDocx_SaysItIsAnExcelWorkbook()
    {
        var verdict = Inspect("docx", SampleFiles.Xlsx, fileName: "letter.docx");

        Assert.Equal("letter.docx is an Excel workbook, not a Word document: its content does not match the .docx extension.",
            verdict.Reason);
    }

    [Fact]
    public void Complete_WithAPlainZipAsDocx_IsNotAWordDocument() =>
        Assert.Equal("This file is not a Word document: its content does not match the .docx extension.",
            Inspect("docx", SampleFiles.Zip).Reason);

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(4096)]
    [InlineData(1)]
    public void Complete_WithADocxWhoseDirectoryFollowsMoreThanTheTailWindowOfData_Accepts(int chunkSize)
    {
        var docx = SampleFiles.BuildDocx(bigPartBytes: 300 * 1024);
        Assert.True(docx.Length > ContentInspector.TailSize + 40 * 1024);

        var verdict = Inspect("docx", docx, chunkSize: chunkSize);

        Assert.True(verdict.Accepted, verdict.Reason);
    }

    [Fact]
    public void Complete_WithADocxWithAnArchiveComment_Accepts() =>
        Assert.True(Inspect("docx", SampleFiles.BuildDocx(comment: "Saved by a tool that leaves a note")).Accepted);

    [Fact]
    public void Complete_WithADocxOfManyPartsWhoseDirectoryFitsTheTailWindow_Accepts()
    {
        var docx = SampleFiles.BuildDocx(extraParts: 800);
        Assert.True(docx.Length > ContentInspector.TailSize);

        Assert.True(Inspect("docx", docx, chunkSize: 8192).Accepted);
    }

    [Fact]
    public void Complete_WithADocxWhoseDirectoryIsLargerThanTheTailWindow_IsRefusedAsUnreadable()
    {
        var docx = SampleFiles.BuildDocx(extraParts: 2_000);

        var verdict = Inspect("docx", docx, fileName: "evidence.docx");

        Assert.False(verdict.Accepted);
        Assert.Equal("evidence.docx could not be read as a Word document. Save it again from Word and attach the new copy.",
            verdict.Reason);
    }

    [Fact]
    public void Complete_WithATruncatedXlsx_IsRefusedAsUnreadable()
    {
        var xlsx = SampleFiles.Xlsx[..^10];

        var verdict = Inspect("xlsx", xlsx);

        Assert.Equal("This file could not be read as an Excel workbook. Save it again from Excel and attach the new copy.",
            verdict.Reason);
    }

    [Fact]
    public void Complete_WithAnXlsxWithDataPrependedBeforeItsZip_IsRefused()
    {
        byte[] shifted = [.. SampleFiles.Xlsx[..4], .. new byte[100], .. SampleFiles.Xlsx[4..]];

        Assert.False(Inspect("xlsx", shifted).Accepted);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x62, 0x00 })]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x61, 0x01, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x1B, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x1A, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x1A, 0x1A })]
    public void Complete_WithTextContainingNulOrControlCharacters_IsRefused(byte[] content)
    {
        var verdict = Inspect("txt", content, fileName: "notes.txt");

        Assert.False(verdict.Accepted);
        Assert.Equal("notes.txt is not a text file: it contains binary data (NUL bytes or control characters) that a .txt file cannot contain.",
            verdict.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x0D, 0x0A, 0x09, 0x0C, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x62, 0x1A })]
    [InlineData(new byte[] { 0x1A })]
    [InlineData(new byte[] { 0x61 })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0x80, 0x9F, 0xFF, 0x7F })]
    public void Complete_WithTextAllowedControlsOrHighBytes_Accepts(byte[] content) =>
        Assert.True(Inspect("csv", content).Accepted);

    [Fact]
    public void Complete_WithUtf16TextOfOddLength_IsRefused() =>
        Assert.False(Inspect("txt", [.. SampleFiles.TextUtf16LittleEndian, 0x41]).Accepted);

    [Fact]
    public void Complete_WithUtf16BigEndianText_Accepts() =>
        Assert.True(Inspect("txt", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("a\tb\r\n")]).Accepted);

    [Fact]
    public void Complete_WithUtf16TextContainingAControlCharacter_IsRefused() =>
        Assert.False(Inspect("txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a\u0001b")]).Accepted);

    [Fact]
    public void Complete_WithBinaryDataAfterTheHeadOfALargeText_IsRefused()
    {
        byte[] content = [.. Enumerable.Repeat((byte)'a', 3 * ContentInspector.HeadSize), 0x00, .. "end"u8];

        Assert.False(Inspect("txt", content, chunkSize: 1000).Accepted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1019)]
    public void Complete_WithAPdfHeaderWithinTheFirstKilobyte_Accepts(int junk) =>
        Assert.True(Inspect("pdf", [.. new byte[junk], .. SampleFiles.Pdf]).Accepted);

    [Fact]
    public void Complete_WithAPdfHeaderBeyondTheFirstKilobyte_IsRefused() =>
        Assert.False(Inspect("pdf", [.. new byte[1020], .. SampleFiles.Pdf]).Accepted);

    [Fact]
    public void Complete_WithGif87a_Accepts() =>
        Assert.True(Inspect("gif", [.. "GIF87a"u8, .. SampleFiles.Gif[6..]]).Accepted);

    [Fact]
    public void Complete_WithALargeDatFile_HoldsOnlyItsHeadAndAccepts()
    {
        var inspector = new ContentInspector("dat");
        var chunk = new byte[1 << 20];
        for (var i = 0; i < 20; i++)
        {
            inspector.Append(chunk);
        }

        Assert.True(inspector.Complete().Accepted);
    }

    [Theory]
    [InlineData(".PDF")]
    [InlineData("Pdf")]
    public void Constructor_WithADotOrUpperCase_TreatsItAsTheExtension(string extension) =>
        Assert.True(Inspect(extension, SampleFiles.Pdf).Accepted);

    [Theory]
    [InlineData("exe")]
    [InlineData("")]
    [InlineData("docm")]
    public void Constructor_WithAnExtensionThatIsNotAllowed_Throws(string extension) =>
        Assert.Throws<ArgumentException>(() => new ContentInspector(extension));

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var inspector = new ContentInspector("txt");
        inspector.Complete();

        Assert.Throws<InvalidOperationException>(() => inspector.Append("more"u8));
    }

    [Fact]
    public void Complete_CalledTwice_GivesTheSameVerdict()
    {
        var inspector = new ContentInspector("png");
        inspector.Append(SampleFiles.Png);

        Assert.Same(inspector.Complete(), inspector.Complete());
    }

    private static ContentVerdict Inspect(string extension, byte[] content, int chunkSize = int.MaxValue, string? fileName = null)
    {
        var inspector = new ContentInspector(extension, fileName);
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            inspector.Append(content.AsSpan(offset, Math.Min(chunkSize, content.Length - offset)));
        }

        return inspector.Complete();
    }
}
