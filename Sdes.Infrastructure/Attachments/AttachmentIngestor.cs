using System.Buffers;
using Microsoft.Extensions.Logging;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Scanning;

namespace Sdes.Infrastructure.Attachments;

/// <summary>An upload's one pass over its bytes: counted against the limit, checked against its extension, encrypted into
/// the store and streamed to clamd at the same time. It never holds the file in memory (one 64 KiB buffer, the inspector's
/// bounded windows, one encryption segment). The row it returns is not saved yet: the caller saves it with its audit event.
/// If the caller never saves it, the stored object is an orphan the sweeper removes.</summary>
public sealed class AttachmentIngestor(IAttachmentStore store, AttachmentEncryption encryption, IVirusScanner scanner,
    ILogger<AttachmentIngestor> logger)
{
    private const int BufferSize = 64 * 1024;

    public async Task<Attachment> IngestAsync(Stream source, AttachmentFileName name, AttachmentModule module, long maxBytes, UserRef uploader,
        DateTimeOffset now, IProgress<long>? progress, CancellationToken ct)
    {
        var id = AttachmentId.New(now);
        using var key = encryption.NewFileKey();
        var inspector = new ContentInspector(name.Extension);
        var scan = await StartScanAsync(ct);
        var stored = false;
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var target = await store.OpenWriteAsync(id.StorageName, ct);
            stored = true;
            Task<ScanVerdict?> verdict;
            var encrypted = encryption.EncryptTo(target, key.DataKey, id.Value);
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
                {
                    total += read;
                    DomainException.ThrowIf(total > maxBytes,
                        $"{name.Value} is larger than the {Attachment.Megabytes(maxBytes)} ({maxBytes:N0} bytes) this message has room for.");
                    var chunk = buffer.AsMemory(0, read);
                    inspector.Append(chunk.Span);
                    var scanning = scan?.WriteAsync(chunk, ct) ?? ValueTask.CompletedTask;
                    await encrypted.WriteAsync(chunk, ct);
                    if (!await CompletedAsync(scanning))
                    {
                        await scan!.DisposeAsync();
                        scan = null;
                    }

                    progress?.Report(total);
                }

                var content = inspector.Complete();
                if (!content.Accepted)
                {
                    throw new DomainException(content.Reason ?? $"The content of {name.Value} does not match its extension.");
                }

                // clamd scans while the store commits (final segment, rename or block list), not after it.
                verdict = scan is null ? Task.FromResult<ScanVerdict?>(null) : VerdictAsync(scan, ct);
            }
            finally
            {
                // On failure this commits a short object too; the catch below deletes it.
                await encrypted.DisposeAsync();
            }

            var attachment = Attachment.Stored(id, module, name, total, uploader, key.Wrapped.KeyId, key.Wrapped.Bytes, now);
            if (Apply(attachment, await verdict, now))
            {
                await DestroyAsync(attachment, ct);
            }

            return attachment;
        }
        catch
        {
            if (stored)
            {
                await store.DeleteAsync(id.StorageName, CancellationToken.None);
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (scan is not null)
            {
                await scan.DisposeAsync();
            }
        }
    }

    /// <summary>The retry path: reads the stored file back, decrypts it and scans it. Null when the scanner is unreachable.</summary>
    public async Task<ScanVerdict?> RescanAsync(Attachment attachment, CancellationToken ct)
    {
        var dataKey = encryption.Unwrap(new WrappedKey(attachment.KeyId, attachment.WrappedKey));
        try
        {
            await using var stored = await store.OpenReadAsync(attachment.Id.StorageName, ct);
            await using var plain = encryption.DecryptFrom(stored, dataKey, attachment.Id.Value);
            return await scanner.ScanAsync(plain, ct);
        }
        catch (ScannerUnavailableException ex)
        {
            logger.LogWarning("Virus scanner unavailable for attachment {AttachmentId}: {Reason}", attachment.Id, ex.Message);
            return null;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Applies a verdict (null: the scanner could not be reached). Returns true for a refused file, whose row now
    /// says its bytes are destroyed: the caller deletes the object with <see cref="DestroyAsync"/> once that row is safe
    /// (at once for a row not saved yet, after the commit for a saved one).</summary>
    public static bool Apply(Attachment attachment, ScanVerdict? verdict, DateTimeOffset now)
    {
        switch (verdict?.Outcome)
        {
            case null:
                attachment.ScannerUnavailable(now, Random.Shared.NextDouble());
                return false;
            case ScanOutcome.Clean:
                attachment.MarkClean(now);
                return false;
            case ScanOutcome.Infected when IsLimitHeuristic(verdict.Signature):
                // AlertEncrypted / AlertExceedsMax: clamd could not see inside, which is not a clean verdict and not a virus.
                attachment.RecordScanError(verdict.Signature!, final: true, now);
                break;
            case ScanOutcome.Infected:
                attachment.MarkInfected(verdict.Signature ?? "unknown", now);
                break;
            default:
                // clamd said it could not finish (size limit, its own error): a limit is final, anything else is retried.
                var final = verdict.Signature?.Contains("limit", StringComparison.OrdinalIgnoreCase) == true;
                if (!attachment.RecordScanError(verdict.Signature ?? "scan error", final, now))
                {
                    return false;
                }

                break;
        }

        attachment.ContentDestroyed(now);
        return true;
    }

    public async Task DestroyAsync(Attachment attachment, CancellationToken ct)
    {
        await store.DeleteAsync(attachment.Id.StorageName, ct);
        logger.LogWarning("Attachment {AttachmentId} refused as {Status}", attachment.Id, attachment.Status);
    }

    private static bool IsLimitHeuristic(string? signature) =>
        signature is not null && (signature.StartsWith("Heuristics.Encrypted", StringComparison.Ordinal)
            || signature.StartsWith("Heuristics.Limits", StringComparison.Ordinal));

    private async Task<IVirusScanSession?> StartScanAsync(CancellationToken ct)
    {
        try
        {
            return await scanner.StartAsync(ct);
        }
        catch (ScannerUnavailableException ex)
        {
            logger.LogWarning("Virus scanner unavailable at upload; the file stays pending: {Reason}", ex.Message);
            return null;
        }
    }

    private async Task<bool> CompletedAsync(ValueTask scanning)
    {
        try
        {
            await scanning;
            return true;
        }
        catch (ScannerUnavailableException ex)
        {
            logger.LogWarning("Virus scanner connection lost during upload; the file stays pending: {Reason}", ex.Message);
            return false;
        }
    }

    private async Task<ScanVerdict?> VerdictAsync(IVirusScanSession scan, CancellationToken ct)
    {
        try
        {
            return await scan.CompleteAsync(ct);
        }
        catch (ScannerUnavailableException ex)
        {
            logger.LogWarning("Virus scanner gave no verdict; the file stays pending: {Reason}", ex.Message);
            return null;
        }
    }
}
