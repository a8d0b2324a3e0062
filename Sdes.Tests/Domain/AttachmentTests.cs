using System.Globalization;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

public sealed class AttachmentTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T10:00:00Z", CultureInfo.InvariantCulture);
    private static readonly UserRef Uploader = new(UserId.New(), "Una Uploader", new OrganisationId(Guid.CreateVersion7()));

    private static Attachment Stored(long size = 1_000, AttachmentModule module = AttachmentModule.Communications, string name = "report.pdf") =>
        Attachment.Stored(AttachmentId.New(Now), module, AttachmentFileName.Parse(name), size, Uploader, "k1", [1, 2, 3], Now);

    [Fact]
    public void Stored_NewFile_IsPendingAndNotDownloadable()
    {
        var a = Stored();
        Assert.Equal(AttachmentStatus.PendingScan, a.Status);
        Assert.False(a.IsDownloadable);
        Assert.Equal(Now, a.NextScanAt);
        Assert.Equal("pdf", a.Extension);
        Assert.Equal(32, a.Id.StorageName.Length);
        Assert.DoesNotContain("report", a.Id.StorageName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AttachmentModule.Communications, 10_000_000, true)]
    [InlineData(AttachmentModule.Communications, 10_000_001, false)]
    [InlineData(AttachmentModule.CrossedMeters, 2_000_000, true)]
    [InlineData(AttachmentModule.CrossedMeters, 2_000_001, false)]
    [InlineData(AttachmentModule.MeteringPointRequests, 2_000_001, false)]
    public void Stored_AtAndOverTheFileLimit_AcceptedOrRefused(AttachmentModule module, long size, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal(size, Stored(size, module).SizeBytes);
        }
        else
        {
            var ex = Assert.Throws<DomainException>(() => Stored(size, module));
            Assert.Contains("at most", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MarkClean_Pending_BecomesDownloadable()
    {
        var a = Stored();
        a.MarkClean(Now);
        Assert.True(a.IsDownloadable);
        Assert.Null(a.NextScanAt);
        Assert.Throws<DomainException>(() => a.MarkInfected("Eicar", Now));
    }

    [Fact]
    public void MarkInfected_KeepsQuarantineRecord_NeverDownloadable()
    {
        var a = Stored();
        a.MarkInfected("Sdes.Test.EICAR-NDB.UNOFFICIAL", Now);
        a.ContentDestroyed(Now);
        Assert.Equal(AttachmentStatus.Infected, a.Status);
        Assert.Equal("Sdes.Test.EICAR-NDB.UNOFFICIAL", a.ScanDetail);
        Assert.Equal("report.pdf", a.FileName);
        Assert.False(a.IsDownloadable);
        Assert.True(a.IsRefused);
    }

    [Fact]
    public void ScannerUnavailable_StaysPending_BacksOffUpToAnHour()
    {
        var a = Stored();
        var previous = TimeSpan.Zero;
        for (var i = 0; i < 12; i++)
        {
            a.ScannerUnavailable(Now, jitter: 1);
            var delay = a.NextScanAt!.Value - Now;
            Assert.True(delay >= previous, $"attempt {i + 1}: {delay} < {previous}");
            previous = delay;
        }

        Assert.Equal(AttachmentStatus.PendingScan, a.Status);
        Assert.Equal(TimeSpan.FromHours(1), previous);
        Assert.Equal(TimeSpan.FromSeconds(15), Attachment.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(30), Attachment.RetryDelay(2));
    }

    [Fact]
    public void RecordScanError_ThirdError_BecomesUnscannable()
    {
        var a = Stored();
        Assert.False(a.RecordScanError("Can't allocate memory ERROR", final: false, Now));
        Assert.False(a.RecordScanError("Can't allocate memory ERROR", final: false, Now));
        Assert.Equal(AttachmentStatus.PendingScan, a.Status);
        Assert.True(a.RecordScanError("Can't allocate memory ERROR", final: false, Now));
        Assert.Equal(AttachmentStatus.Unscannable, a.Status);
    }

    [Fact]
    public void RecordScanError_Final_IsUnscannableAtOnce()
    {
        var a = Stored();
        Assert.True(a.RecordScanError("INSTREAM size limit exceeded. ERROR", final: true, Now));
        Assert.Equal(AttachmentStatus.Unscannable, a.Status);
    }

    [Fact]
    public void AttachTo_ByAnotherUser_IsNotPossible()
    {
        var a = Stored();
        var other = Uploader with { Id = UserId.New() };
        Assert.Throws<DomainException>(() => a.AttachTo(Guid.NewGuid(), other, Now));
    }

    [Fact]
    public void AttachTo_Twice_IsNotPossible()
    {
        var a = Stored();
        a.AttachTo(Guid.NewGuid(), Uploader, Now);
        var ex = Assert.Throws<DomainException>(() => a.AttachTo(Guid.NewGuid(), Uploader, Now));
        Assert.Contains("already attached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttachTo_InfectedFile_IsNotPossible()
    {
        var a = Stored();
        a.MarkInfected("Eicar", Now);
        var ex = Assert.Throws<DomainException>(() => a.AttachTo(Guid.NewGuid(), Uploader, Now));
        Assert.Contains("virus", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class CommunicationFileTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T10:00:00Z", CultureInfo.InvariantCulture);
    private static readonly BusinessProcess Process = ProcessCatalogue.Default().Single(p => p.Code == "general-query");

    private static (Communication C, UserRef Author, Organisation Sender, Organisation Recipient, UserRef Reader) Send(params AttachedFile[] files)
    {
        var fromRole = MarketParticipantRole.Create(Mpid.Create("BRIT"), MarketRole.ElectricitySupplier, null);
        var toRole = MarketParticipantRole.Create(Mpid.Create("NEWE"), MarketRole.ElectricitySupplier, null);
        var sender = Organisation.Create("British Energy", [fromRole], Now);
        var recipient = Organisation.Create("Newco Energy", [toRole], Now);
        var author = new UserRef(UserId.New(), "Sam Sender", sender.Id);
        var reader = new UserRef(UserId.New(), "Rita Recipient", recipient.Id);
        sender.Assign(author.Id, Process, 1, Now);
        recipient.Assign(reader.Id, Process, 1, Now);
        var c = Communication.Send(Reference.Create(ReferenceKind.Communication, 1), Process, author, sender, fromRole, recipient, toRole,
            "Query", "See attached.", null, new Dictionary<string, string?>(), Now, files);
        return (c, author, sender, recipient, reader);
    }

    private static AttachedFile File(string name, long size, AttachmentStatus status = AttachmentStatus.Clean) =>
        new(Guid.CreateVersion7(), name, size, status);

    [Fact]
    public void Send_WithCleanAndPendingFiles_ListColumnNamesOnlyCleanOnes()
    {
        var (c, _, _, _, _) = Send(File("a.pdf", 10), File("b.png", 20, AttachmentStatus.PendingScan));
        Assert.Equal(2, c.Messages[0].Attachments.Count);
        Assert.Equal("a.pdf", c.AttachmentNames);
    }

    [Fact]
    public void Send_FilesTotallingExactlyTenMegabytes_IsAccepted()
    {
        var (c, _, _, _, _) = Send(File("a.pdf", 6_000_000), File("b.pdf", 4_000_000));
        Assert.Equal(2, c.Messages[0].Attachments.Count);
    }

    [Fact]
    public void Send_FilesTotallingOneByteOverTenMegabytes_IsNotPossible()
    {
        var ex = Assert.Throws<DomainException>(() => Send(File("a.pdf", 6_000_000), File("b.pdf", 4_000_001)));
        Assert.Contains("10 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_InfectedFile_IsNotPossible()
    {
        var ex = Assert.Throws<DomainException>(() => Send(File("bad.zip", 10, AttachmentStatus.Infected)));
        Assert.Contains("virus", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_SameFileTwice_IsNotPossible()
    {
        var file = File("a.pdf", 10);
        Assert.Throws<DomainException>(() => Send(file, file));
    }

    [Fact]
    public void FileScanned_Clean_JoinsListColumnAndSearch()
    {
        var pending = File("meter-photo.png", 20, AttachmentStatus.PendingScan);
        var (c, _, _, _, _) = Send(pending);
        Assert.Equal(string.Empty, c.AttachmentNames);
        Assert.NotNull(c.FileScanned(pending.Id, AttachmentStatus.Clean, Now));
        Assert.Equal("meter-photo.png", c.AttachmentNames);
        Assert.Equal(AttachmentStatus.Clean, c.Messages[0].Attachments[0].Status);
        Assert.Contains("meter-photo.png", c.Recipient.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void FileScanned_Infected_RemovedFromMessage_OnlyUploaderSeesWhy()
    {
        var pending = File("invoice.pdf", 20, AttachmentStatus.PendingScan);
        var (c, _, sender, recipient, _) = Send(pending);
        c.FileScanned(pending.Id, AttachmentStatus.Infected, Now);
        Assert.Empty(c.Messages[0].Attachments);
        var removed = Assert.Single(c.Events, e => e.Kind == CommunicationEventKind.AttachmentRemoved);
        Assert.True(removed.IsVisibleTo(sender.Id));
        Assert.False(removed.IsVisibleTo(recipient.Id));
        Assert.Contains("virus", removed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void FileScanned_UnknownFile_ChangesNothing()
    {
        var (c, _, _, _, _) = Send(File("a.pdf", 10));
        var version = c.Version;
        Assert.Null(c.FileScanned(Guid.NewGuid(), AttachmentStatus.Infected, Now));
        Assert.Equal(version, c.Version);
    }

    [Fact]
    public void AddMessage_WithFiles_AttachesToTheNewMessage()
    {
        var (c, _, _, recipient, reader) = Send();
        c.AddMessage(reader, recipient, Process, "Here is the reading.", null, Now.AddHours(1), [File("reading.csv", 300)]);
        Assert.Empty(c.Messages[0].Attachments);
        Assert.Equal("reading.csv", Assert.Single(c.Messages[1].Attachments).FileName);
        Assert.Equal("reading.csv", c.AttachmentNames);
    }
}
