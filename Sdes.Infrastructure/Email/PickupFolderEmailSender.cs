using System.Globalization;
using System.Text;

namespace Sdes.Infrastructure.Email;

/// <summary>Writes each email as an RFC 5322 .eml file (multipart/alternative, UTF-8). The file name is the message id, so
/// sending the same message twice leaves one file: the embedded default never shows a duplicate.</summary>
internal sealed class PickupFolderEmailSender(string folder, EmailOptions options, TimeProvider time) : IEmailSender
{
    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{message.Id:N}.eml");
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, Render(message, options, time.GetUtcNow()), new UTF8Encoding(false), ct);
        File.Move(temp, path, overwrite: true);
        return EmailSendResult.Sent(message.Id.ToString("N"));
    }

    internal static string Render(EmailMessage m, EmailOptions options, DateTimeOffset now)
    {
        var boundary = "sdes-" + m.Id.ToString("N");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"From: {Address(options.FromName, options.FromAddress)}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: {Address(m.ToName, m.ToAddress)}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Subject: {EncodeHeader(m.Subject)}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Date: {now.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Message-ID: <{m.Id:N}@sdes>\r\n");
        sb.Append("MIME-Version: 1.0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n");
        AppendPart(sb, boundary, "text/plain", m.TextBody);
        if (m.HtmlBody is not null)
        {
            AppendPart(sb, boundary, "text/html", m.HtmlBody);
        }

        sb.Append(CultureInfo.InvariantCulture, $"--{boundary}--\r\n");
        return sb.ToString();
    }

    private static void AppendPart(StringBuilder sb, string boundary, string type, string body)
    {
        sb.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Content-Type: {type}; charset=utf-8\r\n");
        sb.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        for (var i = 0; i < encoded.Length; i += 76)
        {
            sb.Append(encoded.AsSpan(i, Math.Min(76, encoded.Length - i))).Append("\r\n");
        }
    }

    private static string Address(string? name, string address) =>
        string.IsNullOrEmpty(name) ? $"<{address}>" : $"{EncodeHeader(name)} <{address}>";

    /// <summary>RFC 2047 encoded-word when the text is not plain printable ASCII (also defeats header injection via CR/LF).</summary>
    internal static string EncodeHeader(string value) =>
        value.All(c => c is >= ' ' and <= '~') ? value : $"=?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}?=";
}
