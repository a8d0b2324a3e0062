namespace Sdes.Infrastructure.Scanning;

/// <summary>Where clamd listens and how long SDES waits for it. Bound from <c>Scanning:Clamd</c>.</summary>
public sealed class ClamdOptions
{
    public const string Section = "Scanning:Clamd";

    /// <summary>When false every scan throws <see cref="ScannerUnavailableException"/>, so files stay pending.</summary>
    public bool Enabled { get; set; } = true;

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 3310;
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long clamd may take to accept the next chunk, and to give its verdict after the last one.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bytes per INSTREAM chunk.</summary>
    public int ChunkSize { get; set; } = 64 * 1024;

    internal void Validate()
    {
        if (Port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{Section}:Port must be between 1 and 65535.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ReadTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:ConnectTimeout and {Section}:ReadTimeout must be positive.");
        }

        if (ChunkSize is < 1 or > 16 * 1024 * 1024)
        {
            throw new InvalidOperationException($"{Section}:ChunkSize must be between 1 byte and 16 MiB.");
        }

        if (Enabled && string.IsNullOrWhiteSpace(Host))
        {
            throw new InvalidOperationException($"{Section}:Host is required when scanning is enabled.");
        }
    }
}
