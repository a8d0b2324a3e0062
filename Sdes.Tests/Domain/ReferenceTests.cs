using Sdes.Domain.Common;

namespace Sdes.Tests.Domain;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData(1, "SDE0000001")]
    [InlineData(1234567, "SDE1234567")]
    [InlineData(9999999, "SDE9999999")]
    public void Value_IsThePrefixAndZeroPaddedNumber(long number, string expected) =>
        Assert.Equal(expected, Reference.Create(ReferenceKind.Communication, number).Value);

    [Fact]
    public void OtherKinds_FollowDomainMd()
    {
        Assert.Equal("CMC00001", Reference.Create(ReferenceKind.CrossedMeterCase, 1).Value);
        Assert.Equal("NMP000042", Reference.Create(ReferenceKind.MeteringPointRequest, 42).Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_000)]
    public void Create_OutsideTheRange_IsRefused(long number) =>
        Assert.Throws<DomainException>(() => Reference.Create(ReferenceKind.Communication, number));

    [Theory]
    [InlineData("SDE0000042", true)]
    [InlineData(" sde0000042 ", true)]
    [InlineData("SDE000042", false)]
    [InlineData("SDE0000000", false)]
    [InlineData("CMC0000042", false)]
    [InlineData("SDE00000X2", false)]
    [InlineData(null, false)]
    public void TryParse_AcceptsOnlyThatKindsShape(string? text, bool ok)
    {
        Assert.Equal(ok, Reference.TryParse(text, ReferenceKind.Communication, out var reference));
        if (ok)
        {
            Assert.Equal(42, reference!.Number);
        }
    }
}
