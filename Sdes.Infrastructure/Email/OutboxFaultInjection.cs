namespace Sdes.Infrastructure.Email;

/// <summary>Test-only: holds the outbox processor still inside one of the two crash windows of ADR 0002 so a test can kill the
/// process there. Off by default; the app refuses to start with it set outside Development and Testing.</summary>
public sealed class OutboxFaultInjectionSettings
{
    /// <summary>Pause after the attempt is committed and before the provider is called.</summary>
    public bool PauseBeforeSend { get; set; }

    /// <summary>Pause after the provider accepted the message and before the outcome is committed.</summary>
    public bool PauseAfterSend { get; set; }

    /// <summary>Written (with the outbox message id) when a pause begins, so the test knows when to kill.</summary>
    public string? MarkerFile { get; set; }

    public TimeSpan PauseFor { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => PauseBeforeSend || PauseAfterSend;
}

internal enum OutboxCrashWindow
{
    BeforeSend,
    AfterSend,
}

internal sealed class OutboxFaultInjection(OutboxFaultInjectionSettings settings)
{
    public static readonly OutboxFaultInjection Off = new(new OutboxFaultInjectionSettings());

    public async Task PauseAsync(OutboxCrashWindow window, Guid messageId, CancellationToken ct)
    {
        var on = window == OutboxCrashWindow.BeforeSend ? settings.PauseBeforeSend : settings.PauseAfterSend;
        if (!on)
        {
            return;
        }

        if (settings.MarkerFile is { Length: > 0 } marker)
        {
            // Written whole then renamed: the test never reads half a marker.
            await File.WriteAllTextAsync(marker + ".tmp", $"{window} {messageId:N}", ct);
            File.Move(marker + ".tmp", marker, overwrite: true);
        }

        await Task.Delay(settings.PauseFor, ct);
    }
}
