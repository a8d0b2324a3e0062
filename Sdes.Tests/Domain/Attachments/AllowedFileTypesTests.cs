using Sdes.Domain.Attachments;

namespace Sdes.Tests.Domain.Attachments;

public sealed class AllowedFileTypesTests
{
    [Fact]
    public void Extensions_AreExactlyTheFourteenOfSpec10_1g() =>
        Assert.Equal(["7z", "csv", "dat", "doc", "docx", "gif", "jpeg", "jpg", "pdf", "png", "txt", "xls", "xlsx", "zip"],
            AllowedFileTypes.Extensions);

    [Fact]
    public void DisplayList_ListsThemWithDots() =>
        Assert.Equal(".7z, .csv, .dat, .doc, .docx, .gif, .jpeg, .jpg, .pdf, .png, .txt, .xls, .xlsx, .zip", AllowedFileTypes.DisplayList);

    [Fact]
    public void AcceptAttribute_ListsThemCommaSeparated() =>
        Assert.Equal(".7z,.csv,.dat,.doc,.docx,.gif,.jpeg,.jpg,.pdf,.png,.txt,.xls,.xlsx,.zip", AllowedFileTypes.AcceptAttribute);

    [Theory]
    [InlineData("pdf", "application/pdf")]
    [InlineData("PNG", "image/png")]
    [InlineData(".jpg", "image/jpeg")]
    [InlineData("jpeg", "image/jpeg")]
    [InlineData("gif", "image/gif")]
    [InlineData("csv", "text/csv")]
    [InlineData("txt", "text/plain")]
    [InlineData("dat", "application/octet-stream")]
    [InlineData("7z", "application/octet-stream")]
    [InlineData("zip", "application/zip")]
    [InlineData("doc", "application/msword")]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("xls", "application/vnd.ms-excel")]
    [InlineData("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public void ContentTypeFor_EachExtension_IsItsMediaType(string extension, string contentType) =>
        Assert.Equal(contentType, AllowedFileTypes.ContentTypeFor(extension));

    [Fact]
    public void ContentTypeFor_AnExtensionNotAllowed_Throws() =>
        Assert.Throws<ArgumentException>(() => AllowedFileTypes.ContentTypeFor("exe"));

    [Theory]
    [InlineData("PDF", true)]
    [InlineData(".docx", true)]
    [InlineData("exe", false)]
    [InlineData("G\u0130F", false)] // capital dotted I lower-cases to "i" in some cultures: still not "gif"
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsAllowed_IgnoresCaseAndTheDotOnly(string? extension, bool allowed) =>
        Assert.Equal(allowed, AllowedFileTypes.IsAllowed(extension));
}
