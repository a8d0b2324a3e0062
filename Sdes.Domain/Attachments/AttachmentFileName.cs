namespace Sdes.Domain.Attachments;

/// <summary>A file name as users see it: the name given, made safe to show and to offer in a download (no path, no control
/// or bidi characters, no reserved device names). Never used as a storage name or path.</summary>
public sealed record AttachmentFileName
{
    private AttachmentFileName(string value, string extension)
    {
        Value = value;
        Extension = extension;
    }

    public string Value { get; }

    /// <summary>Lower case, without the dot; always one of <see cref="AllowedFileTypes.Extensions"/>.</summary>
    public string Extension { get; }

    /// <summary>Throws <see cref="Common.DomainException"/> for an empty name or an extension spec 10.1(g) does not allow.</summary>
    public static AttachmentFileName Parse(string? raw) => throw new NotImplementedException();

    public override string ToString() => Value;
}
