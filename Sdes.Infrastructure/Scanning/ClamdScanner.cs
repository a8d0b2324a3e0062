using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace Sdes.Infrastructure.Scanning;

/// <summary>ClamAV's clamd over TCP, with the NUL-terminated <c>z</c> commands and one connection per command or scan.</summary>
internal sealed class ClamdScanner(ClamdOptions options, ILogger<ClamdScanner> logger) : IVirusScanner
{
    public async Task<IVirusScanSession> StartAsync(CancellationToken cancellationToken)
    {
        var connection = await ClamdConnection.OpenAsync(options, logger, cancellationToken);
        try
        {
            if (!await connection.WriteAsync("zINSTREAM\0"u8.ToArray(), cancellationToken))
            {
                throw connection.Unavailable("clamd closed the connection before the scan started");
            }

            return new ClamdScanSession(connection, options.ChunkSize);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        await using var session = await StartAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(options.ChunkSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, options.ChunkSize), cancellationToken)) > 0)
            {
                await session.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return await session.CompleteAsync(cancellationToken);
    }

    public Task<string> VersionAsync(CancellationToken cancellationToken) =>
        CommandAsync("zVERSION\0"u8.ToArray(), reply => reply.Length > 0, "clamd sent an empty VERSION reply", cancellationToken);

    /// <summary>clamd's PING; throws <see cref="ScannerUnavailableException"/> unless it answers PONG.</summary>
    public Task PingAsync(CancellationToken cancellationToken) =>
        CommandAsync("zPING\0"u8.ToArray(), reply => reply == "PONG", "clamd did not answer PING with PONG", cancellationToken);

    private async Task<string> CommandAsync(byte[] command, Func<string, bool> isValid, string invalid, CancellationToken cancellationToken)
    {
        using var connection = await ClamdConnection.OpenAsync(options, logger, cancellationToken);
        var reply = await connection.WriteAsync(command, cancellationToken) ? await connection.ReadReplyAsync(cancellationToken) : null;
        if (reply is null)
        {
            throw connection.Unavailable("clamd closed the connection without a reply");
        }

        return isValid(reply) ? reply : throw connection.Unavailable(invalid);
    }

    /// <summary>Reads clamd's INSTREAM reply: <c>stream: OK</c>, <c>stream: NAME FOUND</c> (names from local signature files end in
    /// <c>.UNOFFICIAL</c>) or <c>TEXT ERROR</c>. Anything else is a protocol error, never a verdict.</summary>
    internal static ScanVerdict? ParseScanReply(string reply)
    {
        const string prefix = "stream: ";
        const string found = " FOUND";
        if (reply == "stream: OK")
        {
            return ScanVerdict.Clean;
        }

        if (reply.EndsWith(" ERROR", StringComparison.Ordinal))
        {
            return new ScanVerdict(ScanOutcome.Error, reply);
        }

        if (reply.StartsWith(prefix, StringComparison.Ordinal) && reply.EndsWith(found, StringComparison.Ordinal)
            && reply.Length > prefix.Length + found.Length)
        {
            var signature = reply[prefix.Length..^found.Length].Trim();
            return signature.Length > 0 ? new ScanVerdict(ScanOutcome.Infected, signature) : null;
        }

        return null;
    }
}

/// <summary>One INSTREAM scan. A write that fails because clamd closed the socket (it does so at StreamMaxLength) is remembered,
/// not thrown: <see cref="CompleteAsync"/> still reads clamd's reply, which says why.</summary>
internal sealed class ClamdScanSession : IVirusScanSession
{
    private readonly ClamdConnection _connection;
    private readonly int _chunkSize;
    private readonly byte[] _frame;
    private bool _serverClosed;
    private bool _broken;
    private bool _completed;
    private bool _disposed;

    internal ClamdScanSession(ClamdConnection connection, int chunkSize)
    {
        _connection = connection;
        _chunkSize = chunkSize;
        _frame = ArrayPool<byte>.Shared.Rent(chunkSize + 4);
    }

    /// <summary>True once a write found the connection closed by clamd; the remaining bytes were dropped.</summary>
    internal bool ServerClosedStream => _serverClosed;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        EnsureUsable();
        try
        {
            // An empty chunk would be the end-of-stream marker, so empty writes send nothing.
            while (!bytes.IsEmpty && !_serverClosed)
            {
                var chunk = bytes[..Math.Min(bytes.Length, _chunkSize)];
                BinaryPrimitives.WriteUInt32BigEndian(_frame, (uint)chunk.Length);
                chunk.CopyTo(_frame.AsMemory(4));
                _serverClosed = !await _connection.WriteAsync(_frame.AsMemory(0, chunk.Length + 4), cancellationToken);
                bytes = bytes[chunk.Length..];
            }
        }
        catch
        {
            _broken = true;
            throw;
        }
    }

    public async Task<ScanVerdict> CompleteAsync(CancellationToken cancellationToken)
    {
        EnsureUsable();
        _completed = true;
        if (!_serverClosed)
        {
            _serverClosed = !await _connection.WriteAsync(new byte[4], cancellationToken);
        }

        var reply = await _connection.ReadReplyAsync(cancellationToken)
            ?? throw _connection.Unavailable("clamd closed the connection without a verdict");
        return ClamdScanner.ParseScanReply(reply) ?? throw _connection.Unavailable($"clamd sent an unexpected reply ({reply.Length} characters)");
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _connection.Dispose();
            ArrayPool<byte>.Shared.Return(_frame);
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("This scan is already complete; start a new one.");
        }

        if (_broken)
        {
            throw _connection.Unavailable("an earlier write to clamd in this scan failed");
        }
    }
}
