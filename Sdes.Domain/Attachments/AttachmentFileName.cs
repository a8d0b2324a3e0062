using System.Buffers;
using System.Globalization;
using System.Text;
using Sdes.Domain.Common;

namespace Sdes.Domain.Attachments;

/// <summary>A file name as users see it: the name given, made safe to show and to offer in a download (no path, no control
/// or bidi characters, no reserved device names). Never used as a storage name or path.</summary>
public sealed record AttachmentFileName
{
    public const int MaxLength = 200;

    // Windows refuses these as a base name whatever the extension ("con.txt"), including the superscript-digit forms.
    private static readonly string[] ReservedDeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    ];

    private static readonly SearchValues<char> UnsafeInQuotedHeader = SearchValues.Create("\"\\;");

    private AttachmentFileName(string value, string extension)
    {
        Value = value;
        Extension = extension;
    }

    public string Value { get; }

    /// <summary>Lower case, without the dot; always one of <see cref="AllowedFileTypes.Extensions"/>.</summary>
    public string Extension { get; }

    /// <summary>The ASCII-only fallback for <c>Content-Disposition: attachment; filename="..."</c>: every non-ASCII character
    /// and '%' (which some browsers decode) become '_'; quotes, backslashes and ';' are dropped. Send
    /// <c>filename*=UTF-8''</c> with <see cref="Value"/> alongside it.</summary>
    public string DownloadName
    {
        get
        {
            var builder = new StringBuilder(Value.Length);
            foreach (var rune in Value.EnumerateRunes())
            {
                if (!rune.IsAscii || Rune.IsControl(rune) || rune.Value == '%')
                {
                    builder.Append('_');
                }
                else if (!UnsafeInQuotedHeader.Contains((char)rune.Value))
                {
                    builder.Append((char)rune.Value);
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>Throws <see cref="Common.DomainException"/> for an empty name or an extension spec 10.1(g) does not allow.
    /// Keeps only the last path segment; removes control, bidi and other invisible format characters (so "invoice\u202Efdp.exe"
    /// shows its real extension); turns any run of whitespace into one space; trims spaces and trailing dots; prefixes a
    /// reserved device name with "_"; normalises to NFC; cuts to <see cref="MaxLength"/> characters keeping the
    /// extension. <see cref="Value"/> keeps the extension's case as given; <see cref="Extension"/> is lower case.</summary>
    public static AttachmentFileName Parse(string? raw)
    {
        var name = Clean(LastSegment(raw ?? string.Empty));
        DomainException.ThrowIf(name.Length == 0 || name.All(c => c == '.'),
            "This file has no usable name; rename it and attach it again.");

        var lastDot = name.LastIndexOf('.');
        DomainException.ThrowIf(lastDot < 0,
            $"{Shorten(name)} has no file type extension, so it cannot be attached. Allowed types: {AllowedFileTypes.DisplayList}.");

        var stem = name[..lastDot];
        var extension = name[(lastDot + 1)..];
        DomainException.ThrowIf(!AllowedFileTypes.IsAllowed(extension),
            $"Files of type .{Shorten(extension)} cannot be attached. Allowed types: {AllowedFileTypes.DisplayList}.");

        if (IsReservedDeviceName(stem))
        {
            stem = "_" + stem;
        }

        var suffix = "." + extension;
        if (stem.Length + suffix.Length > MaxLength)
        {
            stem = CutToTextElements(stem, MaxLength - suffix.Length).TrimEnd(' ', '.');
        }

        DomainException.ThrowIf(stem.Trim('.', ' ').Length == 0,
            $"The name {Shorten(name)} is only an extension; rename the file and attach it again.");

        return new AttachmentFileName(stem + suffix, AllowedFileTypes.Normalise(extension));
    }

    public override string ToString() => Value;

    private static string LastSegment(string raw)
    {
        var separator = raw.AsSpan().LastIndexOfAny('/', '\\');
        return separator < 0 ? raw : raw[(separator + 1)..];
    }

    private static string Clean(string segment)
    {
        var builder = new StringBuilder(segment.Length);
        var pendingSpace = false;
        var span = segment.AsSpan();
        while (!span.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(span, out var rune, out var consumed);
            span = span[consumed..];
            if (status != OperationStatus.Done)
            {
                continue; // an unpaired surrogate: nothing a person could read, and it would break normalisation
            }

            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = builder.Length > 0;
            }
            else if (!Rune.IsControl(rune) && Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                // Format (Cf) covers the bidi embeddings, overrides and isolates, the marks LRM, RLM and ALM, zero-width
                // space, joiners, word joiner, BOM and the tag characters: all invisible, all able to disguise a name.
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(rune.ToString());
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC).TrimEnd('.', ' ');
    }

    private static bool IsReservedDeviceName(string stem)
    {
        var firstDot = stem.IndexOf('.', StringComparison.Ordinal);
        var baseName = (firstDot < 0 ? stem : stem[..firstDot]).TrimEnd(' ');
        return ReservedDeviceNames.Contains(baseName, StringComparer.OrdinalIgnoreCase);
    }

    private static string CutToTextElements(string text, int maxLength)
    {
        var length = 0;
        while (length < text.Length)
        {
            var next = StringInfo.GetNextTextElementLength(text, length);
            if (length + next > maxLength)
            {
                break;
            }

            length += next;
        }

        return text[..length];
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : CutToTextElements(text, 40) + "…";
}
