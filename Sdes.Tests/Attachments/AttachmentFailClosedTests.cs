using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Attachments;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Notifications;
using Sdes.Tests.Communications;
using Sdes.Tests.Domain.Attachments;
using Sdes.Tests.Persistence;
using Sdes.Tests.Scanning;
using Sdes.Tests.Support;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Attachments;

/// <summary>Fail closed (issue 4): with clamd down a file stays pending and cannot be downloaded by anyone; when clamd is
/// back the rescan job gives the verdict with no user action. A private clamd is stopped and started by the tests.</summary>
[Collection(SqliteCollection.Name)]
public sealed class AttachmentFailClosedTests(SqliteTestDatabase database) : IAsyncLifetime
{
    private ClamdServer _clamd = default!;
    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync()
    {
        _clamd = await ClamdServer.StartAsync();
        _app = await StartAsync(database, TestServers.ClamdSettings(_clamd.Port));
        _app.Clock.SetUtcNow(At("2026-11-23T10:00:00Z"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    private AttachmentUploads Uploads => _app.Get<AttachmentUploads>();
    private AttachmentDownloads Downloads => _app.Get<AttachmentDownloads>();
    private AttachmentMaintenance Maintenance => _app.Get<AttachmentMaintenance>();

    private async Task<(UploadResult Upload, string Reference)> SendWhileClamdIsDownAsync(string name, byte[] content)
    {
        await _clamd.StopAsync();
        var upload = await Uploads.UploadAsync(As(_app.Ada), AttachmentModule.Communications, name, new MemoryStream(content), 10_000_000, null);
        Assert.Equal(AttachmentStatus.PendingScan, upload.Status);
        Assert.True(upload.Usable);
        Assert.Contains("not available", upload.Problem, StringComparison.Ordinal);
        var form = _app.Form(_app.Ada, _app.B, _app.GeneralQuery, "Meter photo", "Photo attached.");
        form.Attachments = [upload.Id!.Value];
        return (upload, await _app.Service.SendAsync(As(_app.Ada), form));
    }

    /// <summary>Starts clamd again and runs the rescan once its retry is due; returns what the bus carried meanwhile.</summary>
    private async Task<List<CommunicationActivity>> ClamdBackAndRescannedAsync()
    {
        var activities = new List<CommunicationActivity>();
        using var subscription = _app.Get<ICommunicationBus>().Subscribe(a =>
        {
            activities.Add(a);
            return Task.CompletedTask;
        });
        await _clamd.StartAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Maintenance.RescanDueAsync(CancellationToken.None));
        return activities;
    }

    [Fact]
    public async Task ClamdDown_FileStaysPendingAndUndownloadable_ThenRescanMakesItCleanWithNoUserAction()
    {
        var (upload, reference) = await SendWhileClamdIsDownAsync("meter.png", SampleFiles.Png);
        var id = upload.Id!.Value;

        var pending = await Assert.ThrowsAsync<NotDownloadableException>(() => Downloads.AuthorizeFileAsync(As(_app.Ben), id));
        Assert.Contains("waiting for its virus scan", pending.Message, StringComparison.Ordinal);
        Assert.Equal(AttachmentStatus.PendingScan, (await _app.Queries.DetailAsync(As(_app.Ben), reference)).Messages[0].Attachments[0].Status);
        Assert.Equal(string.Empty, (await _app.LoadAsync(reference)).AttachmentNames);

        // Still down: once its retry is due the job tries, the file stays pending and backs off further.
        Assert.Equal(0, await Maintenance.RescanDueAsync(CancellationToken.None));
        Assert.Equal(1, (await _app.DbAsync(db => db.Attachments.AsNoTracking().SingleAsync())).ScanAttempts);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Maintenance.RescanDueAsync(CancellationToken.None));
        var row = await _app.DbAsync(db => db.Attachments.AsNoTracking().SingleAsync());
        Assert.Equal((AttachmentStatus.PendingScan, 2), (row.Status, row.ScanAttempts));
        Assert.True(row.NextScanAt > _app.Clock.GetUtcNow());

        var activities = await ClamdBackAndRescannedAsync();

        Assert.Equal(AttachmentStatus.Clean, (await _app.Queries.DetailAsync(As(_app.Ben), reference)).Messages[0].Attachments[0].Status);
        Assert.Equal("meter.png", (await _app.LoadAsync(reference)).AttachmentNames);
        var item = await Downloads.AuthorizeFileAsync(As(_app.Ben), id);
        await using var plain = await Downloads.OpenAsync(item, CancellationToken.None);
        using var copy = new MemoryStream();
        await plain.CopyToAsync(copy);
        Assert.Equal(SampleFiles.Png, copy.ToArray());
        Assert.Equal(CommunicationActivityKind.FileScanned, Assert.Single(activities).Kind);
        Assert.Single(await _app.AuditAsync(AuditAction.AttachmentScannedClean));
        Assert.Equal(0, await Maintenance.RescanDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ClamdDown_InfectedZipSent_ThenRescanRemovesItFromTheMessage_UploaderAlertedRecipientNeverTold()
    {
        var zip = SampleFiles.BuildZip(("inner.zip", SampleFiles.BuildZip(("eicar.com", Eicar.Bytes()))));
        var (upload, reference) = await SendWhileClamdIsDownAsync("photos.zip", zip);
        var activities = await ClamdBackAndRescannedAsync();

        var row = await _app.DbAsync(db => db.Attachments.AsNoTracking().SingleAsync());
        Assert.Equal(AttachmentStatus.Infected, row.Status);
        Assert.NotNull(row.ContentDestroyedAt);
        var stored = new List<StoredObject>();
        await foreach (var o in _app.Get<IAttachmentStore>().ListAsync(CancellationToken.None))
        {
            stored.Add(o);
        }

        Assert.Empty(stored);
        var forB = await _app.Queries.DetailAsync(As(_app.Ben), reference);
        Assert.Empty(forB.Messages[0].Attachments);
        Assert.DoesNotContain(forB.Timeline, t => t.Kind == CommunicationEventKind.AttachmentRemoved);
        var forA = await _app.Queries.DetailAsync(As(_app.Ada), reference);
        var removed = Assert.Single(forA.Timeline, t => t.Kind == CommunicationEventKind.AttachmentRemoved);
        Assert.Contains("photos.zip was removed from the message: a virus was found", removed.Detail, StringComparison.Ordinal);
        var activity = Assert.Single(activities);
        Assert.Equal((CommunicationActivityKind.FileRemoved, _app.A.Id), (activity.Kind, activity.ActorOrganisationId));
        Assert.Null(activity.ArrivedAt);
        await Assert.ThrowsAsync<NotDownloadableException>(() => Downloads.AuthorizeFileAsync(As(_app.Ada), upload.Id!.Value));
        Assert.Single(await _app.AuditAsync(AuditAction.AttachmentInfected));
    }
}
