using Microsoft.Extensions.Time.Testing;
using Sdes.Infrastructure.Email;
using Sdes.Tests.Integration;

namespace Sdes.Tests.Email;

public sealed class PickupFolderEmailSenderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sdes-pickup-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task SendAsync_WritesAReadableEml_WithBothParts()
    {
        var sender = new PickupFolderEmailSender(_dir.FullName, new EmailOptions(), new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        var message = new EmailMessage(Guid.NewGuid(), "someone@example.org", "Zoë Ångström", "Compte créé ✓", "Your one-time password is: ABCD-EFGH-JKLM-NPQR-STUV", "<p>html</p>");

        await sender.SendAsync(message, CancellationToken.None);

        var mail = Assert.Single(new Mailbox(_dir.FullName).All());
        Assert.Equal("Compte créé ✓", mail.Subject);
        Assert.Equal("ABCD-EFGH-JKLM-NPQR-STUV", Mailbox.OneTimePassword(mail));
        var raw = await File.ReadAllTextAsync(mail.File);
        Assert.Contains("Content-Type: text/html; charset=utf-8", raw, StringComparison.Ordinal);
        Assert.Contains("Date: Wed, 25 Nov 2026 10:00:00 +0000", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Zoë", raw, StringComparison.Ordinal); // non-ASCII names are RFC 2047 encoded
    }

    [Fact]
    public async Task SendAsync_TheSameMessageTwice_LeavesOneFile()
    {
        var sender = new PickupFolderEmailSender(_dir.FullName, new EmailOptions(), TimeProvider.System);
        var message = new EmailMessage(Guid.NewGuid(), "someone@example.org", null, "Subject", "Body", null);

        await sender.SendAsync(message, CancellationToken.None);
        await sender.SendAsync(message, CancellationToken.None);

        Assert.Single(_dir.GetFiles("*.eml"));
    }

    [Fact]
    public void EncodeHeader_WithCrLf_CannotInjectHeaders() =>
        Assert.DoesNotContain("\r\n", PickupFolderEmailSender.EncodeHeader("Hello\r\nBcc: everyone@example.org"), StringComparison.Ordinal);
}
