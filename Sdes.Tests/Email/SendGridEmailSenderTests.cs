using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sdes.Infrastructure.Email;

namespace Sdes.Tests.Email;

/// <summary>The real SendGrid client pointed at a local Kestrel endpoint that records what it receives.</summary>
public sealed class SendGridEmailSenderTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Authorization, string Body)> _requests = new();
    private WebApplication? _sink;
    private int _status = 202;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _sink = builder.Build();
        _sink.MapPost("/v3/mail/send", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            _requests.Enqueue((http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            http.Response.StatusCode = _status;
            if (_status == 202)
            {
                http.Response.Headers["X-Message-Id"] = "sg-123";
            }
        });
        await _sink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
    }

    private SendGridEmailSender Sender()
    {
        var address = _sink!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SendGridEmailSender(new EmailOptions
        {
            FromAddress = "no-reply@sdes.example", FromName = "SDES",
            SendGrid = new EmailOptions.SendGridSettings { ApiKey = "SG.test-key", Host = address },
        });
    }

    private static EmailMessage Message() =>
        new(Guid.Parse("01a2119e-0000-7000-8000-000000000001"), "ops@dno.example", "Ops Desk", "Your SDES account", "plain body", "<p>html body</p>");

    [Fact]
    public async Task SendAsync_PostsTheV3Json_WithTheApiKey()
    {
        var result = await Sender().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(EmailSendOutcome.Sent, result.Outcome);
        Assert.Equal("sg-123", result.ProviderMessageId);
        var (authorization, body) = Assert.Single(_requests);
        Assert.Equal("Bearer SG.test-key", authorization);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("no-reply@sdes.example", root.GetProperty("from").GetProperty("email").GetString());
        var personalization = root.GetProperty("personalizations")[0];
        Assert.Equal("ops@dno.example", personalization.GetProperty("to")[0].GetProperty("email").GetString());
        Assert.Equal("Your SDES account", personalization.GetProperty("subject").GetString());
        var content = root.GetProperty("content");
        Assert.Equal("text/plain", content[0].GetProperty("type").GetString());
        Assert.Equal("plain body", content[0].GetProperty("value").GetString());
        Assert.Equal("text/html", content[1].GetProperty("type").GetString());
        Assert.Equal("01a2119e000070008000000000000001", personalization.GetProperty("custom_args").GetProperty("sdes_message_id").GetString());
    }

    [Theory]
    [InlineData(429, EmailSendOutcome.Transient)]
    [InlineData(500, EmailSendOutcome.Transient)]
    [InlineData(503, EmailSendOutcome.Transient)]
    [InlineData(400, EmailSendOutcome.Permanent)]
    [InlineData(401, EmailSendOutcome.Permanent)]
    [InlineData(413, EmailSendOutcome.Permanent)]
    public async Task SendAsync_MapsStatusCodesToOutcomes(int status, EmailSendOutcome expected)
    {
        _status = status;

        var result = await Sender().SendAsync(Message(), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WhenNothingListens_IsTransient()
    {
        var sender = new SendGridEmailSender(new EmailOptions
        {
            SendGrid = new EmailOptions.SendGridSettings { ApiKey = "SG.test-key", Host = "http://127.0.0.1:1" },
        });

        Assert.Equal(EmailSendOutcome.Transient, (await sender.SendAsync(Message(), CancellationToken.None)).Outcome);
    }
}
