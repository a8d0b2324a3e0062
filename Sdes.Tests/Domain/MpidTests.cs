using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Tests.Domain;

public sealed class MpidTests
{
    [Theory]
    [InlineData("BRIT", "BRIT")]
    [InlineData(" lond ", "LOND")]
    public void Create_WithFourLetters_Normalises(string input, string expected) =>
        Assert.Equal(expected, Mpid.Create(input).Value);

    [Theory]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("ABCDE")]
    [InlineData("AB1D")]
    [InlineData("ÄBCD")]
    [InlineData(null)]
    public void Create_WithAnythingElse_IsRefusedWithAMessage(string? input)
    {
        var ex = Assert.Throws<DomainException>(() => Mpid.Create(input));
        Assert.Contains("four letters", ex.Message, StringComparison.Ordinal);
    }
}
