using System.Net;
using System.Text.RegularExpressions;

namespace Sdes.Infrastructure.Email;

/// <summary>Renders {name}.txt (first line "Subject: ...") and {name}.html from the email template folder. Values are
/// HTML-encoded in the HTML part; a placeholder without a value is an error, never a blank in a sent email.</summary>
public sealed partial class EmailTemplates(string folder)
{
    public EmailContent Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(folder, name + ".txt"));
        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        if (!text.StartsWith("Subject: ", StringComparison.Ordinal) || firstLine < 0)
        {
            throw new InvalidOperationException($"Email template {name}.txt must start with a 'Subject: ' line.");
        }

        var subject = Fill(text[9..firstLine].Trim(), values, encode: false);
        var body = Fill(text[(firstLine + 1)..], values, encode: false);
        var htmlPath = Path.Combine(folder, name + ".html");
        var html = File.Exists(htmlPath) ? Fill(File.ReadAllText(htmlPath), values, encode: true) : null;
        return new EmailContent(subject, body, html);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool encode) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? (encode ? WebUtility.HtmlEncode(v) : v)
            : throw new InvalidOperationException($"Email template placeholder {{{{{m.Groups[1].Value}}}}} has no value."));

    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}")]
    private static partial Regex Placeholder();
}
