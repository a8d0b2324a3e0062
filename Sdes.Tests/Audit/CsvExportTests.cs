using System.Text;
using Sdes.Infrastructure.Exports;

namespace Sdes.Tests.Audit;

public sealed class CsvExportTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("Volt, Ltd", "\"Volt, Ltd\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+44 20 7946 0000", "'+44 20 7946 0000")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("-", "'-")]
    [InlineData("a\r\nb", "\"a\r\nb\"")]
    [InlineData("\"quoted\"", "\"\"\"quoted\"\"\"")]
    [InlineData("a=b+c", "a=b+c")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Escape_QuotesAndNeutralisesFormulas(string? input, string expected) => Assert.Equal(expected, CsvExport.Escape(input));

    [Fact]
    public async Task WriteRow_WritesUtf8WithABomAndCrLf_RowByRow()
    {
        using var stream = new MemoryStream();
        var csv = CsvExport.Create(stream);
        await csv.WriteRowAsync(["Zoë", "a,b"]);
        await csv.WriteRowAsync(["Ünïcødé 🔒", null, "@x"]);
        await csv.FlushAsync();

        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal("Zoë,\"a,b\"\r\nÜnïcødé 🔒,,'@x\r\n", Encoding.UTF8.GetString(bytes[3..]));
    }
}
