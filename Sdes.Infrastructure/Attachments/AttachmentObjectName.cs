using System.Text.RegularExpressions;

namespace Sdes.Infrastructure.Attachments;

/// <summary>Object names are ids chosen by SDES. Checked by every store so that a name can never become a path or carry a
/// user's file name.</summary>
internal static partial class AttachmentObjectName
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static void Validate(string? name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException("An attachment object name is 1 to 80 lower-case letters, digits or '-'.", nameof(name));
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,80}$")]
    private static partial Regex Pattern();
}
