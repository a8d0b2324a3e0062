using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sdes.Tests.Integration;

/// <summary>A local stand-in for SendGrid's v3 send endpoint on 127.0.0.1: answers the scripted statuses, then 202 with an
/// X-Message-Id; records each request's recipient, our outbox id (custom_args.sdes_message_id) and the status answered.</summary>
public sealed class RecordingSendGrid : IAsyncDisposable
{
    public sealed record Request(string To, string SdesMessageId, int Status);

    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentQueue<int> _script = new();
    private readonly WebApplication _app;

    private RecordingSendGrid(WebApplication app) => _app = app;

    public IReadOnlyList<Request> Requests => [.. _requests];

    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The statuses the next requests get, in order.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    public static async Task<RecordingSendGrid> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var sink = new RecordingSendGrid(builder.Build());
        sink._app.MapPost("/v3/mail/send", async (HttpContext http) =>
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            var personalization = json.RootElement.GetProperty("personalizations")[0];
            var status = sink._script.TryDequeue(out var scripted) ? scripted : StatusCodes.Status202Accepted;
            sink._requests.Enqueue(new Request(personalization.GetProperty("to")[0].GetProperty("email").GetString()!,
                personalization.GetProperty("custom_args").GetProperty("sdes_message_id").GetString()!, status));
            if (status == StatusCodes.Status202Accepted)
            {
                http.Response.Headers["X-Message-Id"] = "sg-" + sink._requests.Count;
            }

            http.Response.StatusCode = status;
        });
        await sink._app.StartAsync();
        return sink;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
