using System.Net;
using System.Text.RegularExpressions;

namespace Sdes.Tests.Integration;

/// <summary>One browser-like session over HTTP: keeps cookies, follows no redirects, posts the static account forms with
/// their antiforgery tokens.</summary>
public sealed partial class SessionClient : IDisposable
{
    private readonly HttpClient _http;

    public SessionClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Loads the page, then posts its form with the given fields (names as rendered, e.g. Input.Email).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, string formName, IDictionary<string, string> fields, string? action = null)
    {
        var page = await (await GetAsync(path)).Content.ReadAsStringAsync();
        var token = TokenRegex().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}: the page did not render its form.");
        }

        var body = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        using var content = new FormUrlEncodedContent(body);
        return await _http.PostAsync(new Uri(action ?? path, UriKind.Relative), content);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/account/sign-in", "sign-in", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    public Task<HttpResponseMessage> SetFirstPasswordAsync(string password) =>
        PostFormAsync("/account/set-password", "set-password",
            new Dictionary<string, string> { ["Input.NewPassword"] = password, ["Input.ConfirmPassword"] = password });

    /// <summary>The path a redirect points at, whether the Location header is relative or absolute.</summary>
    public static string? RedirectPath(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return null;
        }

        var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
        return path;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
