using System.Net;
using System.Text.RegularExpressions;

namespace Sdes.Infrastructure.Email;

/// <summary>Renders {name}.txt (first line "Subject: ...") and {name}.html from the email template folder. Values are
/// HTML-encoded in the HTML part; a placeholder without a value is an error, never a blank in a sent email.</summary>
public sealed partial class EmailTemplates(string folder)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Text, string? Html)> _files = new(StringComparer.Ordinal);

    public EmailContent Render(string name, IReadOnlyDictionary<string, string> values) => Render(name, values, null);

    /// <summary>As above, with repeated sections: <c>{{#Items}}...{{/Items}}</c> is written once per entry of
    /// <paramref name="lists"/>["Items"], its placeholders filled from that entry (and encoded the same way).</summary>
    public EmailContent Render(string name, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists)
    {
        string Expand(string template, bool encode) => lists is null ? template : Section().Replace(template, m =>
            lists.TryGetValue(m.Groups[1].Value, out var items)
                ? string.Concat(items.Select(item => Fill(m.Groups[2].Value, item, encode)))
                : throw new InvalidOperationException($"Email template section {{{{#{m.Groups[1].Value}}}}} has no list."));

        // Read once per template: a digest run renders the same files for every recipient.
        var files = _files.GetOrAdd(name, n =>
        {
            var htmlPath = Path.Combine(folder, n + ".html");
            return (File.ReadAllText(Path.Combine(folder, n + ".txt")), File.Exists(htmlPath) ? File.ReadAllText(htmlPath) : null);
        });
        var text = Expand(files.Text, encode: false);
        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        if (!text.StartsWith("Subject: ", StringComparison.Ordinal) || firstLine < 0)
        {
            throw new InvalidOperationException($"Email template {name}.txt must start with a 'Subject: ' line.");
        }

        var html = files.Html is null ? null : Fill(Expand(files.Html, encode: true), values, encode: true);
        return new EmailContent(Fill(text[9..firstLine].Trim(), values, encode: false), Fill(text[(firstLine + 1)..], values, encode: false), html);
    }

    [GeneratedRegex(@"\{\{#([A-Za-z]+)\}\}(.*?)\{\{/\1\}\}", RegexOptions.Singleline)]
    private static partial Regex Section();

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool encode) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? (encode ? WebUtility.HtmlEncode(v) : v)
            : throw new InvalidOperationException($"Email template placeholder {{{{{m.Groups[1].Value}}}}} has no value."));

    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}")]
    private static partial Regex Placeholder();
}
