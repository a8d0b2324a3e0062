using System.Net;
using System.Text.RegularExpressions;

namespace Sdes.Infrastructure.Email;

/// <summary>Renders {name}.txt (first line "Subject: ...") and {name}.html from the email template folder. Values are
/// HTML-encoded in the HTML part; a placeholder without a value is an error, never a blank in a sent email.</summary>
public sealed partial class EmailTemplates(string folder)
{
    public EmailContent Render(string name, IReadOnlyDictionary<string, string> values) => Render(name, values, null);

    /// <summary>As above, with repeated sections: <c>{{#Items}}...{{/Items}}</c> is written once per entry of
    /// <paramref name="lists"/>["Items"], its placeholders filled from that entry (and encoded the same way).</summary>
    public EmailContent Render(string name, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>? lists)
    {
        if (lists is not null)
        {
            return RenderWithSections(name, values, lists);
        }

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

    private EmailContent RenderWithSections(string name, IReadOnlyDictionary<string, string> values,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> lists)
    {
        string Expand(string template, bool encode) => Section().Replace(template, m => lists.TryGetValue(m.Groups[1].Value, out var items)
            ? string.Concat(items.Select(item => Fill(m.Groups[2].Value, item, encode)))
            : throw new InvalidOperationException($"Email template section {{{{#{m.Groups[1].Value}}}}} has no list."));

        var text = Expand(File.ReadAllText(Path.Combine(folder, name + ".txt")), encode: false);
        var htmlPath = Path.Combine(folder, name + ".html");
        var html = File.Exists(htmlPath) ? Expand(File.ReadAllText(htmlPath), encode: true) : null;
        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        if (!text.StartsWith("Subject: ", StringComparison.Ordinal) || firstLine < 0)
        {
            throw new InvalidOperationException($"Email template {name}.txt must start with a 'Subject: ' line.");
        }

        return new EmailContent(Fill(text[9..firstLine].Trim(), values, encode: false), Fill(text[(firstLine + 1)..], values, encode: false),
            html is null ? null : Fill(html, values, encode: true));
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
