using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Sdes.Domain.Attachments;

namespace Sdes.App.Features.Attachments;

public sealed partial class AttachmentPicker
{
    private readonly List<PickedFile> _files = [];
    private AttachmentLimits _limits = AttachmentPolicy.For(AttachmentModule.Communications);
    private int _nextKey;

    [Parameter] public AttachmentModule Module { get; set; } = AttachmentModule.Communications;
    [Parameter] public bool Disabled { get; set; }

    /// <summary>The ids of the usable files (clean or waiting for the scanner), in the order they were picked.</summary>
    [Parameter] public EventCallback<IReadOnlyList<Guid>> Changed { get; set; }

    /// <summary>True while any file is still streaming: the form should not send until it is false.</summary>
    [Parameter] public EventCallback<bool> UploadingChanged { get; set; }

    [Inject] private AttachmentUploads Uploads { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    public bool Uploading => _files.Any(f => f.State == PickState.Uploading);

    private static string Accept => AllowedFileTypes.AcceptAttribute;

    private long UsableBytes => _files.Where(f => f.State is PickState.Clean or PickState.Pending).Sum(f => f.Size);

    protected override void OnParametersSet() => _limits = AttachmentPolicy.For(Module);

    /// <summary>Forgets every file (after the message was sent). The files themselves are now the message's.</summary>
    public async Task ClearAsync()
    {
        _files.Clear();
        await NotifyAsync();
    }

    private async Task OnFilesAsync(IReadOnlyList<IBrowserFile>? picked)
    {
        if (picked is null || picked.Count == 0)
        {
            return;
        }

        var usableCount = _files.Count(f => f.State is PickState.Clean or PickState.Pending);
        var batch = new List<(PickedFile Item, IBrowserFile File)>();
        foreach (var file in picked)
        {
            var item = new PickedFile(_nextKey++, file.Name, file.Size);
            _files.Add(item);
            if (usableCount + batch.Count >= _limits.MaxFilesPerMessage)
            {
                item.Refuse($"You can attach at most {_limits.MaxFilesPerMessage} files to one message.");
                continue;
            }

            batch.Add((item, file));
        }

        await UploadingChanged.InvokeAsync(batch.Count > 0);
        StateHasChanged();
        var principal = await PrincipalAsync();
        foreach (var (item, file) in batch)
        {
            var room = _limits.MaxTotalBytesPerMessage - UsableBytes;
            var allowed = Math.Min(room, _limits.MaxFileBytes);
            if (file.Size > allowed)
            {
                item.Refuse(file.Size > _limits.MaxFileBytes
                    ? $"{item.Name} is {FormatSize(file.Size)} ({file.Size:N0} bytes); a file can be at most {FormatSize(_limits.MaxFileBytes)} ({_limits.MaxFileBytes:N0} bytes)."
                    : $"{item.Name} would take this message over {FormatSize(_limits.MaxTotalBytesPerMessage)} ({_limits.MaxTotalBytesPerMessage:N0} bytes) in total; only {room:N0} bytes are left.");
                continue;
            }

            item.State = PickState.Uploading;
            StateHasChanged();
            var progress = new Progress(this, item);
            try
            {
                // The browser's own size is only a hint: the pipeline counts the real bytes against the same limit.
                await using var stream = file.OpenReadStream(allowed + 1);
                var result = await Uploads.UploadAsync(principal, Module, file.Name, stream, allowed, progress);
                item.Complete(result);
            }
            catch (IOException)
            {
                item.Refuse($"The upload of {item.Name} was interrupted. Try again.");
            }

            StateHasChanged();
        }

        await NotifyAsync();
    }

    private async Task RemoveAsync(PickedFile file)
    {
        _files.Remove(file);
        if (file.Id is { } id)
        {
            await TryAsync(p => Uploads.DiscardAsync(p, id));
        }

        await NotifyAsync();
    }

    private async Task NotifyAsync()
    {
        await UploadingChanged.InvokeAsync(Uploading);
        await Changed.InvokeAsync(_files.Where(f => f.State is PickState.Clean or PickState.Pending && f.Id is not null).Select(f => f.Id!.Value).ToList());
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} bytes",
        < 1_000_000 => $"{bytes / 1_000d:0.#} kB",
        _ => $"{bytes / 1_000_000d:0.##} MB",
    };

    private static string Label(PickedFile f) => f.State switch
    {
        PickState.Waiting => "Waiting",
        PickState.Uploading => $"Uploading {f.Percent:0}%",
        PickState.Clean => "Scanned: no virus found",
        PickState.Pending => "Pending virus scan",
        _ => "Not attached",
    };

    private static string Icon(PickedFile f) => f.State switch
    {
        PickState.Clean => Icons.Material.Filled.CheckCircle,
        PickState.Pending => Icons.Material.Filled.HourglassTop,
        PickState.Refused => Icons.Material.Filled.Block,
        _ => Icons.Material.Filled.UploadFile,
    };

    private static Color Colour(PickedFile f) => f.State switch
    {
        PickState.Clean => Color.Success,
        PickState.Pending => Color.Info,
        PickState.Refused => Color.Error,
        _ => Color.Default,
    };

    private enum PickState
    {
        Waiting,
        Uploading,
        Clean,
        Pending,
        Refused,
    }

    private sealed class PickedFile(int key, string name, long size)
    {
        public int Key { get; } = key;
        public string Name { get; } = name;
        public long Size { get; private set; } = size;
        public PickState State { get; set; } = PickState.Waiting;
        public double Percent { get; set; }
        public Guid? Id { get; private set; }
        public string? Problem { get; private set; }
        public DateTimeOffset LastRender { get; set; }

        public void Refuse(string problem)
        {
            State = PickState.Refused;
            Problem = problem;
        }

        public void Complete(UploadResult result)
        {
            Id = result.Usable ? result.Id : null;
            Size = result.SizeBytes > 0 ? result.SizeBytes : Size;
            Problem = result.Problem;
            Percent = 100;
            State = result.Status switch
            {
                AttachmentStatus.Clean => PickState.Clean,
                AttachmentStatus.PendingScan => PickState.Pending,
                _ => PickState.Refused,
            };
        }
    }

    /// <summary>Progress from the pipeline, re-rendering at most every 100 ms so a fast upload does not flood the circuit.</summary>
    private sealed class Progress(AttachmentPicker picker, PickedFile file) : IProgress<long>
    {
        public void Report(long value)
        {
            file.Percent = file.Size == 0 ? 100 : Math.Min(100, value * 100d / file.Size);
            var now = picker.Time.GetUtcNow();
            if (now - file.LastRender > TimeSpan.FromMilliseconds(100))
            {
                file.LastRender = now;
                _ = picker.InvokeAsync(picker.StateHasChanged);
            }
        }
    }
}
