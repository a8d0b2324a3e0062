using Microsoft.AspNetCore.Components;
using MudBlazor;
using Sdes.App.Features.Shared;
using Sdes.Infrastructure.Notifications;

namespace Sdes.App.Features.Communications;

/// <summary>One communication (spec 10.1(b)): the thread, reply, escalate, owner, tags, archive, transcript and history.
/// Opening it in a live circuit records a view; the counterparty's changes appear without a reload.</summary>
public sealed partial class CommunicationDetailPage
{
    private CommunicationDetail? _detail;
    private bool _notFound;
    private bool _busy;
    private bool _viewRecorded;
    private string? _newTag;
    private ReplyForm _reply = new();
    private List<BreadcrumbItem> _crumbs = [];
    private Guid? _viewerOrganisation;
    private bool _uploading;
    private Attachments.AttachmentPicker? _replyFiles;

    [Parameter] public string Reference { get; set; } = string.Empty;

    [Inject] private CommunicationQueries Queries { get; set; } = default!;
    [Inject] private CommunicationService Communications { get; set; } = default!;
    [Inject] private CommunicationLive Live { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private Notifications.NotificationSignal NotificationSignal { get; set; } = default!;

    protected override void OnInitialized() => Live.Activity += OnActivityAsync;

    protected override async Task OnParametersSetAsync()
    {
        _viewRecorded = false;
        _reply = new ReplyForm();
        _crumbs = [new BreadcrumbItem("Communications", "/communications"), new BreadcrumbItem(Reference, null, disabled: true)];
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only the live circuit records the view (not the prerender), once per opening.
        if (!_viewRecorded && _detail is not null && _detail.Status != Domain.Communications.CommunicationStatus.Deleted)
        {
            _viewRecorded = true;
            if (await TryAsync(p => Communications.RecordViewAsync(p, Reference)))
            {
                await NotificationSignal.RaiseAsync();
                await LoadAsync();
                StateHasChanged();
            }
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _detail = await Queries.DetailAsync(await PrincipalAsync(), Reference);
            _notFound = false;
        }
        catch (NotFoundException)
        {
            _detail = null;
            _notFound = true;
        }
    }

    private Task OnActivityAsync(CommunicationActivity activity)
    {
        if (_detail is null || activity.CommunicationId.Value != _detail.Id)
        {
            return Task.CompletedTask;
        }

        return InvokeAsync(async () =>
        {
            // A message from the other party arrived while we are looking at it: we have now seen it.
            if (activity.Kind == CommunicationActivityKind.MessageAdded && activity.ActorOrganisationId.Value != _viewerOrganisation
                && await TryAsync(p => Communications.RecordViewAsync(p, Reference)))
            {
                await NotificationSignal.RaiseAsync();
            }

            await LoadAsync();
            StateHasChanged();
        });
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _viewerOrganisation = (await Queries.ViewerAsync(await PrincipalAsync())).OrganisationId.Value;
        }
        catch (NotFoundException)
        {
            _viewerOrganisation = null;
        }
    }

    private async Task RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task> action, string success)
    {
        _busy = true;
        try
        {
            if (await TryAsync(action, success))
            {
                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReplyAsync()
    {
        var form = _reply;
        _busy = true;
        try
        {
            if (await TryAsync(p => Communications.ReplyAsync(p, Reference, form), "Reply sent."))
            {
                _reply = new ReplyForm();
                if (_replyFiles is not null)
                {
                    await _replyFiles.ClearAsync();
                }

                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private Task EscalateAsync() =>
        RunAsync(p => Communications.EscalateAsync(p, Reference), $"Escalated to level {(_detail?.Level ?? 0) + 1}.");

    private Task AssignOwnerAsync(string value) =>
        RunAsync(p => Communications.AssignOwnerAsync(p, Reference, Guid.TryParse(value, out var id) ? id : null), "Owner updated.");

    private async Task AddTagAsync()
    {
        if (_detail is null || string.IsNullOrWhiteSpace(_newTag))
        {
            Snackbar.Add("Type a tag first.", Severity.Warning);
            return;
        }

        var tags = _detail.Tags.Append(_newTag).ToList();
        await RunAsync(p => Communications.ChangeTagsAsync(p, Reference, tags), "Tag added.");
        if (_detail.Tags.Contains(_newTag.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            _newTag = null;
        }
    }

    private Task RemoveTagAsync(string tag) =>
        RunAsync(p => Communications.ChangeTagsAsync(p, Reference, _detail!.Tags.Where(t => t != tag).ToList()), "Tag removed.");

    private async Task ArchiveAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Archive for both organisations?",
            "Archiving also archives this communication for the other organisation (spec 13.2). A new message from either side makes it active again.",
            yesText: "Archive for both", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(p => Communications.ArchiveAsync(p, Reference), "Archived for both organisations.");
        }
    }

    public void Dispose() => Live.Activity -= OnActivityAsync;
}
