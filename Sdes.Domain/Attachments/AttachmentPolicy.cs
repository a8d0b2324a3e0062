namespace Sdes.Domain.Attachments;

/// <summary>Limits per module (spec 10.1(g), 17.1(d)). MB means 10^6 bytes (ADR 0008).</summary>
public sealed record AttachmentLimits(long MaxFileBytes, long MaxTotalBytesPerMessage, int MaxFilesPerMessage);

public static class AttachmentPolicy
{
    public const long Megabyte = 1_000_000;

    public static AttachmentLimits For(AttachmentModule module) => throw new NotImplementedException();

    /// <summary>Checks the files of one message against the module's limits; throws <see cref="Common.DomainException"/>
    /// with a sentence naming the limit.</summary>
    public static void CheckMessage(AttachmentModule module, IReadOnlyCollection<long> fileSizes) => throw new NotImplementedException();
}
