using System.Text;
using System.Text.RegularExpressions;

namespace Sdes.Tests.Integration;

/// <summary>Reads the .eml files the app wrote to its pickup folder.</summary>
public sealed partial class Mailbox(string folder)
{
    public sealed record Mail(string File, string To, string Subject, string Text);

    public IReadOnlyList<Mail> All()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, "*.eml").OrderBy(File.GetCreationTimeUtc).Select(Parse).ToList();
    }

    /// <summary>Waits (bounded) for the outbox job to deliver a mail to the address.</summary>
    public async Task<Mail> WaitForAsync(string to, Func<Mail, bool>? match = null, int expectedCount = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var mails = ForAddress(to).Where(m => match?.Invoke(m) ?? true).ToList();
            if (mails.Count >= expectedCount)
            {
                return mails[expectedCount - 1];
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No email #{expectedCount} for {to} within 20 s; {All().Count} emails in the pickup folder.");
            }

            await Task.Delay(100);
        }
    }

    public IReadOnlyList<Mail> ForAddress(string to) =>
        All().Where(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase)).ToList();

    public static string OneTimePassword(Mail mail)
    {
        var match = SecretRegex().Match(mail.Text);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("The email holds no one-time password.");
    }

    private static Mail Parse(string file)
    {
        var raw = File.ReadAllText(file);
        string Header(string name) => Regex.Match(raw, $"^{name}: (.*)$", RegexOptions.Multiline).Groups[1].Value.TrimEnd('\r');
        return new Mail(file, Header("To"), DecodeHeader(Header("Subject")), PlainText(raw));
    }

    private static string PlainText(string raw)
    {
        var part = Regex.Match(raw, @"Content-Type: text/plain[^\r\n]*\r?\n(?<headers>(?:[^\r\n]+\r?\n)*)\r?\n(?<body>.*?)(?:\r?\n--|$)",
            RegexOptions.Singleline);
        if (!part.Success)
        {
            return raw;
        }

        var body = part.Groups["body"].Value;
        var headers = part.Groups["headers"].Value;
        if (headers.Contains("base64", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(body, @"\s", "")));
        }

        if (headers.Contains("quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            body = Regex.Replace(body, "=\r?\n", "");
            var bytes = new List<byte>();
            for (var i = 0; i < body.Length; i++)
            {
                if (body[i] == '=' && i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
                {
                    bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(body[i].ToString()));
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        return body;
    }

    private static string DecodeHeader(string value)
    {
        var m = Regex.Match(value, @"^=\?utf-8\?B\?(.*)\?=$", RegexOptions.IgnoreCase);
        return m.Success ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)) : value;
    }

    [GeneratedRegex(@"one-time password is:\s*([A-Z0-9]{4}(?:-[A-Z0-9]{4}){4})")]
    private static partial Regex SecretRegex();
}
