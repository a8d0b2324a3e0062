using Sdes.Domain.Attachments;
using Sdes.Domain.Common;

namespace Sdes.Tests.Domain.Attachments;

public sealed class AttachmentFileNameTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("..\\..\\etc\\passwd.txt", "passwd.txt")]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("C:\\Users\\ann\\Desktop\\readings.csv", "readings.csv")]
    [InlineData("/home/ann/mixed\\sep/readings.csv", "readings.csv")]
    public void Parse_WithAPath_KeepsOnlyTheLastSegment(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).Value);

    [Fact]
    public void Parse_WithARightToLeftOverrideHidingExe_ShowsAndRefusesTheRealExtension()
    {
        var error = Assert.Throws<DomainException>(() => AttachmentFileName.Parse("invoice\u202Efdp.exe"));

        Assert.StartsWith("Files of type .exe cannot be attached.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil\u202Etxt.pdf", "eviltxt.pdf")]
    [InlineData("a\u200Eb\u200F\u061Cc.pdf", "abc.pdf")]
    [InlineData("\u2066a\u2067b\u2068c\u2069\u202A\u202B\u202C\u202D.pdf", "abc.pdf")]
    [InlineData("zero\u200Bwidth\u200C\u200D\uFEFF.txt", "zerowidth.txt")]
    [InlineData("tag\U000E0041s.txt", "tags.txt")]
    [InlineData("soft\u00ADhyphen.txt", "softhyphen.txt")]
    public void Parse_WithBidiOrInvisibleFormatCharacters_RemovesThem(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).Value);

    [Theory]
    [InlineData("bell\u0007.txt", "bell.txt")]
    [InlineData("file\u0000.txt", "file.txt")]
    [InlineData("del\u007F.txt", "del.txt")]
    [InlineData("csi\u009B.txt", "csi.txt")]
    [InlineData("esc\u001B[31m.txt", "esc[31m.txt")]
    public void Parse_WithControlCharacters_RemovesThem(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).Value);

    [Theory]
    [InlineData("  meter   readings\t\r\nMarch .csv  ", "meter readings March .csv")]
    [InlineData("a\u00A0\u2003\u3000b.csv", "a b.csv")]
    [InlineData("report.pdf. . .", "report.pdf")]
    [InlineData("report.pdf...", "report.pdf")]
    public void Parse_WithWhitespaceAndTrailingDots_CollapsesAndTrims(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).Value);

    [Theory]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("nul.tar.zip", "_nul.tar.zip")]
    [InlineData("Com1.pdf", "_Com1.pdf")]
    [InlineData("lpt9.csv", "_lpt9.csv")]
    [InlineData("aux .txt", "_aux .txt")]
    [InlineData("prn.doc", "_prn.doc")]
    [InlineData("co\u200Bn.txt", "_con.txt")] // hidden characters cannot smuggle a device name past the check
    [InlineData("COM\u00B9.txt", "_COM\u00B9.txt")]
    [InlineData("console.txt", "console.txt")]
    [InlineData("com10.txt", "com10.txt")]
    [InlineData("my con.txt", "my con.txt")]
    public void Parse_WithAWindowsDeviceName_PrefixesAnUnderscore(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).Value);

    [Fact]
    public void Parse_WithALongName_CutsTo200CharactersKeepingTheExtension()
    {
        var name = AttachmentFileName.Parse(new string('a', 300) + ".xlsx");

        Assert.Equal(AttachmentFileName.MaxLength, name.Value.Length);
        Assert.EndsWith("a.xlsx", name.Value, StringComparison.Ordinal);
        Assert.Equal("xlsx", name.Extension);
    }

    [Fact]
    public void Parse_WithALongNameOfSurrogatePairs_NeverSplitsACharacter()
    {
        var name = AttachmentFileName.Parse(string.Concat(Enumerable.Repeat("\U0001F600", 150)) + ".png");

        Assert.True(name.Value.Length <= AttachmentFileName.MaxLength);
        Assert.EndsWith("\U0001F600.png", name.Value, StringComparison.Ordinal);
        Assert.Equal(name.Value, name.Value.Normalize());
        Assert.DoesNotContain(name.Value.EnumerateRunes(), r => r == System.Text.Rune.ReplacementChar);
    }

    [Fact]
    public void Parse_WithANameOfExactly200Characters_KeepsItWhole()
    {
        var raw = new string('b', 196) + ".pdf";

        Assert.Equal(raw, AttachmentFileName.Parse(raw).Value);
    }

    [Theory]
    [InlineData("REPORT.PDF", "pdf")]
    [InlineData("Scan.JPeG", "jpeg")]
    [InlineData("archive.7Z", "7z")]
    public void Parse_WithAnUpperCaseExtension_AcceptsItAndLowerCasesTheExtension(string raw, string extension)
    {
        var name = AttachmentFileName.Parse(raw);

        Assert.Equal(extension, name.Extension);
        Assert.Equal(raw, name.Value);
    }

    [Theory]
    [InlineData("setup.exe", ".exe")]
    [InlineData("macro.docm", ".docm")]
    [InlineData("report.pdf.exe", ".exe")]
    [InlineData("page.html", ".html")]
    [InlineData("gift.G\u0130F", ".G\u0130F")]
    public void Parse_WithAnExtensionNotAllowed_IsRefusedListingTheAllowedTypes(string raw, string shown)
    {
        var error = Assert.Throws<DomainException>(() => AttachmentFileName.Parse(raw));

        Assert.Equal($"Files of type {shown} cannot be attached. Allowed types: {AllowedFileTypes.DisplayList}.", error.Message);
    }

    [Fact]
    public void Parse_WithNoExtension_IsRefusedListingTheAllowedTypes()
    {
        var error = Assert.Throws<DomainException>(() => AttachmentFileName.Parse("README"));

        Assert.Equal($"README has no file type extension, so it cannot be attached. Allowed types: {AllowedFileTypes.DisplayList}.",
            error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...")]
    [InlineData("folder/")]
    [InlineData("\u202E\u200B")]
    public void Parse_WithNoUsableName_IsRefused(string? raw)
    {
        var error = Assert.Throws<DomainException>(() => AttachmentFileName.Parse(raw));

        Assert.Equal("This file has no usable name; rename it and attach it again.", error.Message);
    }

    [Theory]
    [InlineData(".pdf")]
    [InlineData("..pdf")]
    [InlineData(" . .pdf")]
    public void Parse_WithOnlyAnExtension_IsRefused(string raw)
    {
        var error = Assert.Throws<DomainException>(() => AttachmentFileName.Parse(raw));

        Assert.EndsWith("is only an extension; rename the file and attach it again.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithDecomposedAccents_NormalisesToNfc()
    {
        var name = AttachmentFileName.Parse("Cafe\u0301 re\u0301sume\u0301.docx");

        Assert.Equal("Caf\u00E9 r\u00E9sum\u00E9.docx", name.Value);
    }

    [Fact]
    public void Parse_WithAnUnpairedSurrogate_DropsIt() =>
        Assert.Equal("ab.txt", AttachmentFileName.Parse("a\uD800b.txt").Value);

    [Fact]
    public void Parse_WithAHiddenStyleName_KeepsTheLeadingDot() =>
        Assert.Equal(".notes.txt", AttachmentFileName.Parse(".notes.txt").Value);

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("Café £5 \"final\"; v2.pdf", "Caf_ _5 final v2.pdf")]
    [InlineData("50% off.txt", "50_ off.txt")]
    [InlineData("\U0001F600.png", "_.png")]
    [InlineData("\u0141\u00F3d\u017A.csv", "__d_.csv")]
    public void DownloadName_ReplacesNonAsciiAndDropsQuotesAndSemicolons(string raw, string expected) =>
        Assert.Equal(expected, AttachmentFileName.Parse(raw).DownloadName);

    [Fact]
    public void Equality_IsByValue() =>
        Assert.Equal(AttachmentFileName.Parse("a/report.pdf"), AttachmentFileName.Parse("report.pdf"));
}
