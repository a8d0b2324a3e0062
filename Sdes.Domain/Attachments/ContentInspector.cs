namespace Sdes.Domain.Attachments;

/// <summary>Checks, as the bytes stream past once, that a file's content matches its extension. Holds a bounded amount of
/// the file (its head and a tail window for the zip central directory), never the whole file.</summary>
public sealed class ContentInspector
{
    public ContentInspector(string extension) => throw new NotImplementedException();

    public void Append(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    public ContentVerdict Complete() => throw new NotImplementedException();
}

/// <param name="Reason">Null when accepted; otherwise a sentence for the uploader.</param>
public sealed record ContentVerdict(bool Accepted, string? Reason)
{
    public static ContentVerdict Ok { get; } = new(true, null);
}
