using Sdes.Domain.Common;
using Sdes.Domain.Metering;

namespace Sdes.Tests.Domain;

public sealed class MpanTests
{
    // Every expected check digit below was computed outside the code under test (a short Python script applying
    // primes 3..43, mod 11, mod 10) and hard-coded here.
    [Theory]
    [InlineData("1049428595759", "10")]
    [InlineData("1127957422885", "11")]
    [InlineData("1223015956917", "12")]
    [InlineData("1321794198930", "13")]
    [InlineData("1401610426489", "14")]
    [InlineData("1561574613380", "15")]
    [InlineData("1603000267670", "16")]
    [InlineData("1789795440259", "17")]
    [InlineData("1818232960386", "18")]
    [InlineData("1995487386494", "19")]
    [InlineData("2040703789219", "20")]
    [InlineData("2117037296840", "21")]
    [InlineData("2241929837566", "22")]
    [InlineData("2387900056803", "23")]
    public void Create_WithAValidCoreInEachDnoArea_KeepsItAndItsDistributor(string core, string distributor)
    {
        var mpan = Mpan.Create(core);

        Assert.Equal(core, mpan.Core);
        Assert.Equal(distributor, mpan.DistributorId.Value);
        Assert.True(mpan.DistributorId.IsDnoArea);
        Assert.Null(mpan.TopLine);
    }

    [Theory]
    [InlineData("2436870939634", "24")]
    [InlineData("2555388297183", "25")]
    [InlineData("2992095054449", "29")]
    [InlineData("3699148539446", "36")]
    public void Create_WithAnIdnoCore_IsNotADnoArea(string core, string distributor)
    {
        var mpan = Mpan.Create(core);

        Assert.Equal(distributor, mpan.DistributorId.Value);
        Assert.False(mpan.DistributorId.IsDnoArea);
    }

    [Theory]
    [InlineData("1800000000000")] // weighted sum 43: mod 11 is 10, so the check digit is 10 mod 10 = 0
    [InlineData("1700000000050")] // weighted sum 253: mod 11 is 0
    [InlineData("1000123450020")]
    [InlineData("2200123450040")]
    public void Create_WithCheckDigitZero_IsAccepted(string core) => Assert.Equal(core, Mpan.Create(core).Core);

    [Theory]
    [InlineData("1700000000079")]
    [InlineData("1000987650089")]
    [InlineData("1900987650099")]
    [InlineData("2200987650179")]
    public void Create_WithCheckDigitNine_IsAccepted(string core) => Assert.Equal(core, Mpan.Create(core).Core);

    [Theory]
    [InlineData("123456789012", 6)] // 3+10+21+52+85+114+161+232+279+0+41+86 = 1084; 1084 mod 11 = 6
    [InlineData("180000000000", 0)] // 43 mod 11 = 10; 10 mod 10 = 0
    [InlineData("170000000007", 9)] // 38 + 7*43 = 339; 339 mod 11 = 9
    [InlineData("000000000000", 0)]
    public void CheckDigit_OfTwelveDigits_IsTheWeightedSumMod11Mod10(string first12, int expected) =>
        Assert.Equal(expected, Mpan.CheckDigit(first12));

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1234567890123")]
    [InlineData("12345678901A")]
    public void CheckDigit_OfAnythingButTwelveDigits_Throws(string first12) =>
        Assert.Throws<ArgumentException>(() => Mpan.CheckDigit(first12));

    [Theory]
    [InlineData("12 3456 7890 126")]
    [InlineData("12-3456-7890-126")]
    [InlineData("12 - 3456 - 7890 - 126")]
    [InlineData("  1234567890126  ")]
    [InlineData("\t1234567890126\n")]
    public void Create_WithSpacesOrHyphensBetweenGroups_Normalises(string typed)
    {
        var mpan = Mpan.Create(typed);

        Assert.Equal("1234567890126", mpan.Core);
        Assert.Null(mpan.TopLine);
    }

    [Theory]
    [InlineData("S 01 801 100 / 12 3456 7890 126")]
    [InlineData("S 01 801 100 12 3456 7890 126")]
    [InlineData("s018011001234567890126")]
    [InlineData("S018011001234567890126")]
    [InlineData("01801100 / 1234567890126")]
    [InlineData("01801100/1234567890126")]
    [InlineData("018011001234567890126")]
    [InlineData("01 801 100 12 3456 7890 126")]
    public void Create_WithTheFull21DigitMpan_KeepsTheTopLineAndCore(string typed)
    {
        var mpan = Mpan.Create(typed);

        Assert.Equal("1234567890126", mpan.Core);
        Assert.Equal("01801100", mpan.TopLine);
        Assert.Equal("12", mpan.DistributorId.Value);
    }

    [Fact]
    public void Formatted_GroupsTheCoreAsPrinted()
    {
        var mpan = Mpan.Create("S 01 801 100 / 12 3456 7890 126");

        Assert.Equal("12 3456 7890 126", mpan.Formatted);
        Assert.Equal("1234567890126", mpan.ToString());
    }

    [Fact]
    public void Equals_TheSameCoreTypedWithAndWithoutTheTopLine_IsEqual()
    {
        var full = Mpan.Create("S 01 801 100 / 12 3456 7890 126");
        var core = Mpan.Create("1234567890126");

        Assert.Equal(core, full);
        Assert.Equal(core.GetHashCode(), full.GetHashCode());
        Assert.NotEqual(core, Mpan.Create("1603000267670"));
    }

    [Theory]
    [InlineData("", "Enter the MPAN: the 13-digit core")]
    [InlineData("   ", "Enter the MPAN: the 13-digit core")]
    [InlineData(null, "Enter the MPAN: the 13-digit core")]
    [InlineData("123456789012", "An MPAN core is 13 digits (or 21 with the top line); that has 12.")]
    [InlineData("12345678901266", "An MPAN core is 13 digits (or 21 with the top line); that has 14.")]
    [InlineData("01801100123456789012", "An MPAN core is 13 digits (or 21 with the top line); that has 20.")]
    [InlineData("0180110012345678901266", "An MPAN core is 13 digits (or 21 with the top line); that has 22.")]
    [InlineData("12345A7890126", "An MPAN contains only digits (spaces and hyphens between groups are fine).")]
    [InlineData("1234567890126;DROP", "An MPAN contains only digits")]
    [InlineData("12.3456.7890.126", "An MPAN contains only digits")]
    [InlineData("X018011001234567890126", "An MPAN contains only digits")]
    [InlineData("S1234567890126", "A full MPAN starting with S is 21 digits (an 8-digit top line, then the 13-digit core); that has 13.")]
    [InlineData("1234567890/126", "In a full MPAN the '/' goes between the 8-digit top line and the 13-digit core.")]
    [InlineData("0180 / 11001234567890126", "In a full MPAN the '/' goes between the 8-digit top line and the 13-digit core.")]
    [InlineData("1234567890123", "The MPAN 1234567890123 fails its check digit; check it was typed correctly.")]
    [InlineData("12 3456 7890 127", "The MPAN 1234567890127 fails its check digit; check it was typed correctly.")]
    [InlineData("S 01 801 100 / 12 3456 7890 120", "The MPAN 1234567890120 fails its check digit; check it was typed correctly.")]
    public void Create_WithBadInput_IsRefusedWithAHelpfulMessage(string? typed, string expected)
    {
        var ex = Assert.Throws<DomainException>(() => Mpan.Create(typed));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_WithABadCheckDigit_ReturnsFalseAndTheReason()
    {
        Assert.False(Mpan.TryCreate("1200000000012", out var mpan, out var error));
        Assert.Null(mpan);
        Assert.Equal("The MPAN 1200000000012 fails its check digit; check it was typed correctly.", error);
    }

    [Fact]
    public void TryCreate_WithAValidMpan_ReturnsTrueAndNoError()
    {
        Assert.True(Mpan.TryCreate("12 3456 7890 126", out var mpan, out var error));
        Assert.Equal("1234567890126", mpan?.Core);
        Assert.Null(error);
    }
}
