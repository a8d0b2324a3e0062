using System.Net;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Sdes.Infrastructure.Email;

/// <summary>SendGrid v3 through the official client. Status codes map to outcomes: 2xx sent; 429 and 5xx retried;
/// other 4xx dead-lettered.</summary>
internal sealed class SendGridEmailSender(EmailOptions options) : IEmailSender
{
    private readonly SendGridClient _client = new(new SendGridClientOptions
    {
        ApiKey = options.SendGrid.ApiKey,
        Host = string.IsNullOrWhiteSpace(options.SendGrid.Host) ? "https://api.sendgrid.com" : options.SendGrid.Host.TrimEnd('/'),
    });

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken ct)
    {
        var mail = MailHelper.CreateSingleEmail(new EmailAddress(options.FromAddress, options.FromName),
            new EmailAddress(message.ToAddress, message.ToName), message.Subject, message.TextBody, message.HtmlBody);
        mail.AddCustomArg("sdes_message_id", message.Id.ToString("N"));
        mail.AddHeader("X-SDES-Message-Id", message.Id.ToString("N"));

        Response response;
        try
        {
            response = await _client.SendEmailAsync(mail, ct);
        }
        catch (HttpRequestException ex)
        {
            return new EmailSendResult(EmailSendOutcome.Transient, Error: "network: " + ex.HttpRequestError);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new EmailSendResult(EmailSendOutcome.Transient, Error: "timeout");
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            return EmailSendResult.Sent(id);
        }

        var outcome = response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500 ? EmailSendOutcome.Transient : EmailSendOutcome.Permanent;
        return new EmailSendResult(outcome, Error: $"SendGrid answered {status}");
    }
}
