namespace Sdes.Tests.Support;

/// <summary>The real servers scripts/test.sh starts, as the app's settings. Missing ones fail the test that needs them (never skip).</summary>
public static class TestServers
{
    /// <summary>Settings pointing the app at the shared clamd, or at clamd disabled when the test does not scan.</summary>
    public static Dictionary<string, string?> ClamdSettings(int? privatePort = null)
    {
        if (privatePort is { } port)
        {
            return new() { ["Scanning:Clamd:Host"] = "127.0.0.1", ["Scanning:Clamd:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Scanning:Clamd:ConnectTimeout"] = "00:00:02", ["Scanning:Clamd:ReadTimeout"] = "00:00:20" };
        }

        var endpoint = Environment.GetEnvironmentVariable("SDES_TEST_CLAMD");
        if (string.IsNullOrEmpty(endpoint))
        {
            // Nothing listens on port 9: uploads stay pending. Tests that need verdicts call RequireClamd().
            return new() { ["Scanning:Clamd:Port"] = "9", ["Scanning:Clamd:ConnectTimeout"] = "00:00:01" };
        }

        var parts = endpoint.Split(':');
        return new() { ["Scanning:Clamd:Host"] = parts[0], ["Scanning:Clamd:Port"] = parts[1], ["Scanning:Clamd:ReadTimeout"] = "00:00:20" };
    }

    public static void RequireClamd()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SDES_TEST_CLAMD")))
        {
            throw new InvalidOperationException("SDES_TEST_CLAMD is not set to clamd's host:port: run the tests with ./scripts/test.sh, which starts clamd.");
        }
    }

    public static string Azurite() =>
        Environment.GetEnvironmentVariable("SDES_TEST_AZURITE") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException("SDES_TEST_AZURITE is not set to Azurite's connection string: run the tests with ./scripts/test.sh.");

    /// <summary>Encrypted local store and key file inside <paramref name="folder"/>.</summary>
    public static Dictionary<string, string?> LocalStoreSettings(string folder) => new()
    {
        ["Attachments:Store:Kind"] = "Local",
        ["Attachments:Store:LocalPath"] = Path.Combine(folder, "attachments"),
        ["Attachments:Encryption:KeyFile"] = Path.Combine(folder, "attachment-keys.json"),
    };

    public static Dictionary<string, string?> AzuriteStoreSettings(string folder, string container) => new()
    {
        ["Attachments:Store:Kind"] = "AzureBlob",
        ["Attachments:Store:ConnectionString"] = Azurite(),
        ["Attachments:Store:Container"] = container,
        ["Attachments:Encryption:KeyFile"] = Path.Combine(folder, "attachment-keys.json"),
    };
}
