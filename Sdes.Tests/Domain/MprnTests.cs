using Sdes.Domain.Common;
using Sdes.Domain.Metering;

namespace Sdes.Tests.Domain;

public sealed class MprnTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("1234567890", "1234567890")]
    [InlineData("12 3456 7890", "1234567890")]
    [InlineData("1234-5678", "12345678")]
    [InlineData("  7654321 ", "7654321")]
    public void Create_WithSixToTenDigits_Normalises(string typed, string expected)
    {
        var mprn = Mprn.Create(typed);

        Assert.Equal(expected, mprn.Value);
        Assert.Equal(expected, mprn.ToString());
    }

    [Theory]
    [InlineData("", "Enter the MPRN")]
    [InlineData(null, "Enter the MPRN")]
    [InlineData("12345", "An MPRN is 6 to 10 digits; that has 5.")]
    [InlineData("12345678901", "An MPRN is 6 to 10 digits; that has 11.")]
    [InlineData("12345A", "An MPRN contains only digits (spaces and hyphens between groups are fine).")]
    [InlineData("123.456", "An MPRN contains only digits")]
    public void Create_WithAnythingElse_IsRefusedWithAHelpfulMessage(string? typed, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<DomainException>(() => Mprn.Create(typed)).Message, StringComparison.Ordinal);

    [Fact]
    public void TryCreate_WithTooFewDigits_ReturnsFalseAndTheReason()
    {
        Assert.False(Mprn.TryCreate("1234", out var mprn, out var error));
        Assert.Null(mprn);
        Assert.Equal("An MPRN is 6 to 10 digits; that has 4.", error);
    }

    [Fact]
    public void Equals_TheSameDigitsTypedDifferently_IsEqual() =>
        Assert.Equal(Mprn.Create("12 3456 7890"), Mprn.Create("1234567890"));
}
