using Sdes.Domain.Attachments;
using Sdes.Domain.Common;

namespace Sdes.Tests.Domain.Attachments;

public sealed class AttachmentPolicyTests
{
    [Fact]
    public void For_Communications_Is10MbInTotalAnd20Files() =>
        Assert.Equal(new AttachmentLimits(10_000_000, 10_000_000, 20), AttachmentPolicy.For(AttachmentModule.Communications));

    [Theory]
    [InlineData(AttachmentModule.CrossedMeters)]
    [InlineData(AttachmentModule.MeteringPointRequests)]
    public void For_PerFileModules_Is2MbPerFileAnd5Files(AttachmentModule module) =>
        Assert.Equal(new AttachmentLimits(2_000_000, 10_000_000, 5), AttachmentPolicy.For(module));

    [Fact]
    public void CheckMessage_CommunicationsAtExactly10Mb_IsAccepted()
    {
        AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [6_000_000, 4_000_000]);
        AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [10_000_000]);
    }

    [Fact]
    public void CheckMessage_CommunicationsOneByteOver10MbInTotal_IsRefusedNamingTheLimit()
    {
        var error = Assert.Throws<DomainException>(() =>
            AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [6_000_000, 4_000_001]));

        Assert.Equal("Attachments on one message can total at most 10 MB (10,000,000 bytes); these total 10,000,001 bytes.", error.Message);
    }

    [Fact]
    public void CheckMessage_CommunicationsOneFileOver10Mb_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [10_000_001]));

        Assert.Equal("A file can be at most 10 MB (10,000,000 bytes); this one is 10,000,001 bytes.", error.Message);
    }

    [Fact]
    public void CheckMessage_Communications20Files_IsAcceptedAnd21Refused()
    {
        AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [.. Enumerable.Repeat(1_000L, 20)]);

        var error = Assert.Throws<DomainException>(() =>
            AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [.. Enumerable.Repeat(1_000L, 21)]));
        Assert.Equal("You can attach at most 20 files to one message; this message has 21.", error.Message);
    }

    [Theory]
    [InlineData(AttachmentModule.CrossedMeters)]
    [InlineData(AttachmentModule.MeteringPointRequests)]
    public void CheckMessage_PerFileModulesFiveFilesOfExactly2Mb_IsAccepted(AttachmentModule module) =>
        AttachmentPolicy.CheckMessage(module, [2_000_000, 2_000_000, 2_000_000, 2_000_000, 2_000_000]);

    [Theory]
    [InlineData(AttachmentModule.CrossedMeters)]
    [InlineData(AttachmentModule.MeteringPointRequests)]
    public void CheckMessage_PerFileModulesAFileOneByteOver2Mb_IsRefusedNamingTheLimit(AttachmentModule module)
    {
        var error = Assert.Throws<DomainException>(() => AttachmentPolicy.CheckMessage(module, [1_000, 2_000_001]));

        Assert.Equal("A file can be at most 2 MB (2,000,000 bytes); this one is 2,000,001 bytes.", error.Message);
    }

    [Theory]
    [InlineData(AttachmentModule.CrossedMeters)]
    [InlineData(AttachmentModule.MeteringPointRequests)]
    public void CheckMessage_PerFileModulesSixFiles_IsRefused(AttachmentModule module)
    {
        var error = Assert.Throws<DomainException>(() => AttachmentPolicy.CheckMessage(module, [1, 1, 1, 1, 1, 1]));

        Assert.Equal("You can attach at most 5 files to one message; this message has 6.", error.Message);
    }

    [Fact]
    public void CheckMessage_NoFiles_IsAccepted() => AttachmentPolicy.CheckMessage(AttachmentModule.CrossedMeters, []);

    [Fact]
    public void CheckMessage_NegativeSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AttachmentPolicy.CheckMessage(AttachmentModule.Communications, [-1]));

    [Theory]
    [InlineData(AttachmentModule.CrossedMeters, 2_000_000, true)]
    [InlineData(AttachmentModule.CrossedMeters, 2_000_001, false)]
    [InlineData(AttachmentModule.Communications, 10_000_000, true)]
    [InlineData(AttachmentModule.Communications, 10_000_001, false)]
    [InlineData(AttachmentModule.MeteringPointRequests, 0, true)]
    public void CheckFile_AtAndOverTheLimit_AcceptsOnlyUpToIt(AttachmentModule module, long size, bool accepted)
    {
        var error = Record.Exception(() => AttachmentPolicy.CheckFile(module, size));

        Assert.Equal(accepted, error is null);
        Assert.True(error is null or DomainException);
    }

    [Fact]
    public void Describe_Communications_StatesTheTotalTheUnitAndTheTypes() =>
        Assert.Equal("Up to 10 MB in total, at most 20 files (1 MB = 1,000,000 bytes). Allowed: .7z, .csv, .dat, .doc, .docx, .gif, "
            + ".jpeg, .jpg, .pdf, .png, .txt, .xls, .xlsx, .zip.", AttachmentPolicy.Describe(AttachmentModule.Communications));

    [Fact]
    public void Describe_CrossedMeters_StatesTheFileCountAndPerFileLimit() =>
        Assert.StartsWith("Up to 5 files, each at most 2 MB (1 MB = 1,000,000 bytes). Allowed: .7z,",
            AttachmentPolicy.Describe(AttachmentModule.CrossedMeters), StringComparison.Ordinal);
}
