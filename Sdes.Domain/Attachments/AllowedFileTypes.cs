using System.Collections.Frozen;

namespace Sdes.Domain.Attachments;

/// <summary>The 14 file types spec 10.1(g) and 17.1(d) accept, the same for every module.</summary>
public static class AllowedFileTypes
{
    // .dat and .7z are served as octet-stream: .dat has no fixed format, and browsers offer nothing better for .7z.
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["7z"] = "application/octet-stream",
        ["csv"] = "text/csv",
        ["dat"] = "application/octet-stream",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["gif"] = "image/gif",
        ["jpeg"] = "image/jpeg",
        ["jpg"] = "image/jpeg",
        ["pdf"] = "application/pdf",
        ["png"] = "image/png",
        ["txt"] = "text/plain",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["zip"] = "application/zip",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Lower case, without the dot, in ordinal order: 7z, csv, dat, doc, docx, gif, jpeg, jpg, pdf, png, txt, xls,
    /// xlsx, zip.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [.. ContentTypes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>For people: ".7z, .csv, .dat, ..., .zip".</summary>
    public static string DisplayList { get; } = string.Join(", ", Extensions.Select(e => "." + e));

    /// <summary>For an HTML file input's <c>accept</c> attribute: ".7z,.csv,...,.zip".</summary>
    public static string AcceptAttribute { get; } = string.Join(",", Extensions.Select(e => "." + e));

    /// <summary>True for one of the 14 extensions, with or without the leading dot, in any case. ASCII only, so that
    /// case mapping cannot turn a look-alike such as "GİF" into an allowed one.</summary>
    public static bool IsAllowed(string? extension) =>
        extension is not null && System.Text.Ascii.IsValid(extension) && ContentTypes.ContainsKey(Normalise(extension));

    /// <summary>The Content-Type to serve a download with; throws <see cref="ArgumentException"/> for an extension that is not
    /// allowed, because such a file can never have been stored.</summary>
    public static string ContentTypeFor(string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        return ContentTypes.TryGetValue(Normalise(extension), out var contentType)
            ? contentType
            : throw new ArgumentException($"'{extension}' is not an allowed attachment extension.", nameof(extension));
    }

    /// <summary>Lower case without a leading dot: "PDF" and ".pdf" both become "pdf".</summary>
    public static string Normalise(string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        return extension.StartsWith('.') ? extension[1..].ToLowerInvariant() : extension.ToLowerInvariant();
    }
}
