using System.Globalization;
using Sdes.Domain.Common;

namespace Sdes.Domain.Attachments;

/// <summary>Limits per module (spec 10.1(g), 17.1(d)). MB means 10^6 bytes (ADR 0008).</summary>
public sealed record AttachmentLimits(long MaxFileBytes, long MaxTotalBytesPerMessage, int MaxFilesPerMessage);

public static class AttachmentPolicy
{
    public const long Megabyte = 1_000_000;

    /// <summary>SDEP (spec 10.1(g)): 10 MB in total per message, so no single file can be larger either. The spec sets no
    /// file count; 20 is our cap so one message cannot carry an unbounded list of tiny files.</summary>
    public static AttachmentLimits Communications { get; } = new(10 * Megabyte, 10 * Megabyte, 20);

    /// <summary>CMRP and New Metering Point Requests (spec 17.1(d)): 2 MB per file, 5 files per message, hence 10 MB in
    /// total.</summary>
    public static AttachmentLimits PerFileModules { get; } = new(2 * Megabyte, 10 * Megabyte, 5);

    public static AttachmentLimits For(AttachmentModule module) => module switch
    {
        AttachmentModule.Communications => Communications,
        AttachmentModule.CrossedMeters or AttachmentModule.MeteringPointRequests => PerFileModules,
        _ => throw new ArgumentOutOfRangeException(nameof(module), module, "Unknown attachment module."),
    };

    /// <summary>Checks one file as it arrives, before the rest of the message is known; throws
    /// <see cref="DomainException"/> naming the per-file limit.</summary>
    public static void CheckFile(AttachmentModule module, long fileSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        var limits = For(module);
        DomainException.ThrowIf(fileSize > limits.MaxFileBytes,
            $"A file can be at most {Size(limits.MaxFileBytes)}; this one is {Bytes(fileSize)}.");
    }

    /// <summary>Checks the files of one message against the module's limits; throws <see cref="Common.DomainException"/>
    /// with a sentence naming the limit.</summary>
    public static void CheckMessage(AttachmentModule module, IReadOnlyCollection<long> fileSizes)
    {
        ArgumentNullException.ThrowIfNull(fileSizes);
        var limits = For(module);
        DomainException.ThrowIf(fileSizes.Count > limits.MaxFilesPerMessage,
            $"You can attach at most {limits.MaxFilesPerMessage} files to one message; this message has {fileSizes.Count}.");

        long total = 0;
        foreach (var size in fileSizes)
        {
            CheckFile(module, size);
            total += size;
        }

        DomainException.ThrowIf(total > limits.MaxTotalBytesPerMessage,
            $"Attachments on one message can total at most {Size(limits.MaxTotalBytesPerMessage)}; these total {Bytes(total)}.");
    }

    /// <summary>One line for the upload control, e.g. "Up to 10 MB in total (1 MB = 1,000,000 bytes), at most 20 files.
    /// Allowed: .7z, .csv, ...".</summary>
    public static string Describe(AttachmentModule module)
    {
        var limits = For(module);
        var sizes = limits.MaxFileBytes < limits.MaxTotalBytesPerMessage
            ? $"Up to {limits.MaxFilesPerMessage} files, each at most {Megabytes(limits.MaxFileBytes)}"
            : $"Up to {Megabytes(limits.MaxTotalBytesPerMessage)} in total, at most {limits.MaxFilesPerMessage} files";
        return $"{sizes} (1 MB = {Megabyte.ToString("N0", CultureInfo.InvariantCulture)} bytes). Allowed: {AllowedFileTypes.DisplayList}.";
    }

    private static string Size(long bytes) => $"{Megabytes(bytes)} ({Bytes(bytes)})";

    private static string Megabytes(long bytes) =>
        ((decimal)bytes / Megabyte).ToString("0.######", CultureInfo.InvariantCulture) + " MB";

    private static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + (bytes == 1 ? " byte" : " bytes");
}
