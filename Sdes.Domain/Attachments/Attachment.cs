using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Domain.Attachments;

public readonly record struct AttachmentId(Guid Value)
{
    public static AttachmentId New(DateTimeOffset at) => new(Guid.CreateVersion7(at));

    /// <summary>The object name in the attachment store: the id alone, never anything the user typed.</summary>
    public string StorageName => Value.ToString("n");

    public override string ToString() => Value.ToString();
}

/// <summary>One uploaded file of any module: who uploaded it, its scan state, the wrapped data key its stored bytes are
/// encrypted under, and what it is attached to. An Infected or Unscannable row is the quarantine record: its bytes are
/// destroyed, the name, size, signature, uploader and time stay (spec 10.1(g), 14.4).</summary>
public sealed class Attachment
{
    public const int MaxDetailLength = 300;

    /// <summary>An upload that is never attached (the user closed the form) is swept after this long.</summary>
    public static readonly TimeSpan UnattachedLifetime = TimeSpan.FromHours(24);

    /// <summary>A scanner error on the same file this many times makes it Unscannable; an unreachable scanner never does.</summary>
    public const int MaxScanErrors = 3;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private Attachment() { }

    public AttachmentId Id { get; private set; }
    public AttachmentModule Module { get; private set; }
    public string FileName { get; private set; } = string.Empty;
    public string Extension { get; private set; } = string.Empty;
    public long SizeBytes { get; private set; }
    public UserId UploadedByUserId { get; private set; }
    public string UploadedByName { get; private set; } = string.Empty;
    public OrganisationId OrganisationId { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }
    public AttachmentStatus Status { get; private set; }

    /// <summary>The signature clamd named (Infected) or why the file could not be scanned (Unscannable).</summary>
    public string? ScanDetail { get; private set; }
    public DateTimeOffset? ScannedAt { get; private set; }
    public int ScanAttempts { get; private set; }
    public int ScanErrors { get; private set; }
    public DateTimeOffset? NextScanAt { get; private set; }

    /// <summary>The master key that wraps this file's data key, and the wrapped key itself.</summary>
    public string KeyId { get; private set; } = string.Empty;
    public byte[] WrappedKey { get; private set; } = [];

    /// <summary>What the file is attached to (an SDEP message, a CMRP note, a request); null while it waits in a form.</summary>
    public Guid? OwnerId { get; private set; }
    public DateTimeOffset? AttachedAt { get; private set; }

    /// <summary>The stored bytes were destroyed (infected, unscannable, or retention).</summary>
    public DateTimeOffset? ContentDestroyedAt { get; private set; }
    public int Version { get; private set; }

    public bool IsDownloadable => Status == AttachmentStatus.Clean && ContentDestroyedAt is null;
    public bool IsRefused => Status is AttachmentStatus.Infected or AttachmentStatus.Unscannable;

    /// <summary>A file whose encrypted bytes are already in the store. Its scan verdict follows (or it waits for the scanner).</summary>
    public static Attachment Stored(AttachmentId id, AttachmentModule module, AttachmentFileName name, long sizeBytes, UserRef uploader,
        string keyId, byte[] wrappedKey, DateTimeOffset now)
    {
        var limits = AttachmentPolicy.For(module);
        DomainException.ThrowIf(sizeBytes < 0, "A file cannot have a negative size.");
        DomainException.ThrowIf(sizeBytes > limits.MaxFileBytes,
            $"A file can be at most {Megabytes(limits.MaxFileBytes)} ({limits.MaxFileBytes:N0} bytes); {name.Value} has {sizeBytes:N0} bytes.");
        DomainException.ThrowIf(string.IsNullOrEmpty(keyId) || wrappedKey.Length == 0, "A stored file needs its wrapped key.");
        now = now.ToUniversalTime();
        return new Attachment
        {
            Id = id,
            Module = module,
            FileName = name.Value,
            Extension = name.Extension,
            SizeBytes = sizeBytes,
            UploadedByUserId = uploader.Id,
            UploadedByName = uploader.Name,
            OrganisationId = uploader.OrganisationId,
            UploadedAt = now,
            Status = AttachmentStatus.PendingScan,
            NextScanAt = now,
            KeyId = keyId,
            WrappedKey = wrappedKey,
        };
    }

    public void MarkClean(DateTimeOffset now)
    {
        RequirePending();
        Status = AttachmentStatus.Clean;
        ScannedAt = now.ToUniversalTime();
        ScanAttempts++;
        NextScanAt = null;
        Version++;
    }

    /// <summary>A virus was found: the caller destroys the stored bytes in the same step (<see cref="ContentDestroyed"/>).</summary>
    public void MarkInfected(string signature, DateTimeOffset now)
    {
        RequirePending();
        Status = AttachmentStatus.Infected;
        ScanDetail = Truncate(signature);
        ScannedAt = now.ToUniversalTime();
        ScanAttempts++;
        NextScanAt = null;
        Version++;
    }

    /// <summary>The scanner answered but could not pass the file (size limit, encrypted archive, its own error). Retried a few
    /// times, then the file is refused as Unscannable. Returns true when it became Unscannable.</summary>
    public bool RecordScanError(string reason, bool final, DateTimeOffset now)
    {
        RequirePending();
        now = now.ToUniversalTime();
        ScanAttempts++;
        ScanErrors++;
        ScanDetail = Truncate(reason);
        if (final || ScanErrors >= MaxScanErrors)
        {
            Status = AttachmentStatus.Unscannable;
            ScannedAt = now;
            NextScanAt = null;
            Version++;
            return true;
        }

        NextScanAt = now + RetryDelay(ScanAttempts);
        Version++;
        return false;
    }

    /// <summary>The scanner could not be reached: the file stays pending (fail closed) and is tried again later.</summary>
    public void ScannerUnavailable(DateTimeOffset now, double jitter = 0.5)
    {
        RequirePending();
        ScanAttempts++;
        // Jitter spreads the retries of many files over 75-100% of the delay, so a recovering clamd is not hit all at once.
        NextScanAt = now.ToUniversalTime() + RetryDelay(ScanAttempts) * (0.75 + (Math.Clamp(jitter, 0, 1) / 4));
        Version++;
    }

    /// <summary>Exponential backoff from 15 seconds, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts)
    {
        var seconds = 15 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelay.TotalSeconds));
    }

    public void AttachTo(Guid ownerId, UserRef by, DateTimeOffset now)
    {
        DomainException.ThrowIf(by.Id != UploadedByUserId, $"{FileName} was uploaded by someone else; upload it again to attach it.");
        DomainException.ThrowIf(OwnerId is not null, $"{FileName} is already attached to a message.");
        DomainException.ThrowIf(Status == AttachmentStatus.Infected, $"{FileName} contains a virus and cannot be attached.");
        DomainException.ThrowIf(Status == AttachmentStatus.Unscannable, $"{FileName} could not be virus scanned and cannot be attached.");
        DomainException.ThrowIf(ContentDestroyedAt is not null, $"{FileName} is no longer stored; upload it again.");
        OwnerId = ownerId;
        AttachedAt = now.ToUniversalTime();
        Version++;
    }

    public void ContentDestroyed(DateTimeOffset now)
    {
        ContentDestroyedAt ??= now.ToUniversalTime();
        NextScanAt = null;
        Version++;
    }

    public void Rewrap(string keyId, byte[] wrappedKey)
    {
        DomainException.ThrowIf(string.IsNullOrEmpty(keyId) || wrappedKey.Length == 0, "A stored file needs its wrapped key.");
        KeyId = keyId;
        WrappedKey = wrappedKey;
        Version++;
    }

    private void RequirePending() =>
        DomainException.ThrowIf(Status != AttachmentStatus.PendingScan, $"{FileName} has already been scanned.");

    private static string Truncate(string text)
    {
        text = new string((text ?? string.Empty).Where(c => !char.IsControl(c)).ToArray()).Trim();
        return text.Length > MaxDetailLength ? text[..MaxDetailLength] : text;
    }

    public static string Megabytes(long bytes) => $"{bytes / (double)AttachmentPolicy.Megabyte:0.##} MB";
}
