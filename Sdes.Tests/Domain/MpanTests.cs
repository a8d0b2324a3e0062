using Sdes.Domain.Common;
using Sdes.Domain.Metering;

namespace Sdes.Tests.Domain;

public sealed class MpanTests
{
    // Check digits computed independently (primes 3..43, mod 11, mod 10), not by the code under test.
    [Theory]
    [InlineData("1200000000011", "12")]
    [InlineData("1600000012344", "16")]
    [InlineData("2100000000998", "21")]
    [InlineData("1000000000003", "10")]
    [InlineData("2300000045678", "23")]
    [InlineData("2912345678907", "29")]
    [InlineData("1800000000000", "18")] // sum mod 11 is 10, so the check digit is 0
    [InlineData("1700000000050", "17")] // check digit 0
    [InlineData("1700000000079", "17")] // check digit 9
    public void Create_WithAValidCore_KeepsItAndItsDistributor(string core, string distributor)
    {
        var mpan = Mpan.Create(core);

        Assert.Equal(core, mpan.Core);
        Assert.Equal(distributor, mpan.DistributorId.Value);
        Assert.Null(mpan.TopLine);
    }

    [Theory]
    [InlineData("16 0000 0012 344")]
    [InlineData("16-0000-0012-344")]
    [InlineData("  1600000012344  ")]
    public void Create_WithSpacesOrHyphens_Normalises(string typed) => Assert.Equal("1600000012344", Mpan.Create(typed).Core);

    [Theory]
    [InlineData("S 01 801 100 16 0000 0012 344")]
    [InlineData("s018011001600000012344")]
    [InlineData("01801100 / 1600000012344")]
    [InlineData("018011001600000012344")]
    public void Create_WithTheFullMpan_KeepsTheTopLineAndCore(string typed)
    {
        var mpan = Mpan.Create(typed);

        Assert.Equal("1600000012344", mpan.Core);
        Assert.Equal("01801100", mpan.TopLine);
        Assert.Equal("16 0000 0012 344", mpan.Formatted);
    }

    [Theory]
    [InlineData("", "Enter the MPAN")]
    [InlineData("   ", "Enter the MPAN")]
    [InlineData("160000001234", "13 digits")]
    [InlineData("16000000123444", "13 digits")]
    [InlineData("16000A0012344", "only digits")]
    [InlineData("1600000012345", "fails its check digit")]
    [InlineData("1600000012344;DROP", "only digits")]
    public void Create_WithBadInput_IsRefusedWithAHelpfulMessage(string typed, string expected)
    {
        var ex = Assert.Throws<DomainException>(() => Mpan.Create(typed));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_WithABadCheckDigit_ReturnsFalseAndTheReason()
    {
        Assert.False(Mpan.TryCreate("1200000000012", out var mpan, out var error));
        Assert.Null(mpan);
        Assert.Contains("check digit", error, StringComparison.Ordinal);
    }
}

public sealed class MprnTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("12 3456 7890", "1234567890")]
    public void Create_WithSixToTenDigits_Normalises(string typed, string expected) => Assert.Equal(expected, Mprn.Create(typed).Value);

    [Theory]
    [InlineData("12345")]
    [InlineData("12345678901")]
    [InlineData("12345A")]
    [InlineData("")]
    public void Create_WithAnythingElse_IsRefused(string typed) =>
        Assert.Contains("6 to 10 digits", Assert.Throws<DomainException>(() => Mprn.Create(typed)).Message, StringComparison.Ordinal);
}
