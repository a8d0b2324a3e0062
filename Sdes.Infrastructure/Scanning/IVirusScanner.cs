namespace Sdes.Infrastructure.Scanning;

/// <summary>The seam to the virus scanner (ClamAV clamd in every environment). A scan either gives a verdict or throws
/// <see cref="ScannerUnavailableException"/>; nothing here ever reports a file clean that was not fully scanned.</summary>
public interface IVirusScanner
{
    /// <summary>Starts a streamed scan: the caller writes the file's bytes in order, then asks for the verdict. Throws
    /// <see cref="ScannerUnavailableException"/> when the scanner cannot be reached.</summary>
    Task<IVirusScanSession> StartAsync(CancellationToken cancellationToken);

    /// <summary>Scans a whole stream (the retry job reads stored files back through this).</summary>
    Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>The scanner's version string (clamd VERSION), or throws <see cref="ScannerUnavailableException"/>.</summary>
    Task<string> VersionAsync(CancellationToken cancellationToken);
}

public interface IVirusScanSession : IAsyncDisposable
{
    /// <summary>Sends the next bytes of the file. Throws <see cref="ScannerUnavailableException"/> if the connection fails;
    /// a scanner that closed the stream because it has seen enough (size limit) is not a failure here: the verdict says so.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Ends the stream and reads the verdict.</summary>
    Task<ScanVerdict> CompleteAsync(CancellationToken cancellationToken);
}

public enum ScanOutcome
{
    Clean,
    Infected,

    /// <summary>The scanner answered but could not give a clean verdict (size limit exceeded, its own error).</summary>
    Error,
}

/// <param name="Signature">For Infected, the signature name clamd reported; for Error, clamd's error text.</param>
public sealed record ScanVerdict(ScanOutcome Outcome, string? Signature)
{
    public static ScanVerdict Clean { get; } = new(ScanOutcome.Clean, null);
}

/// <summary>The scanner could not be reached, timed out, or broke the protocol. Files stay pending (fail closed).</summary>
public sealed class ScannerUnavailableException : Exception
{
    public ScannerUnavailableException(string message) : base(message) { }

    public ScannerUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public ScannerUnavailableException() { }
}
