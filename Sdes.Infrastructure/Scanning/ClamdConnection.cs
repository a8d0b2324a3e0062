using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sdes.Infrastructure.Scanning;

/// <summary>One TCP connection to clamd. Turns refusals, resets and timeouts into <see cref="ScannerUnavailableException"/>
/// and the caller's cancellation into <see cref="OperationCanceledException"/>. Messages name the endpoint, never content.</summary>
internal sealed class ClamdConnection : IDisposable
{
    // clamd's replies are one short line; more than this is not clamd.
    private const int MaxReplyLength = 4096;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly ClamdOptions _options;
    private readonly ILogger _logger;

    private ClamdConnection(TcpClient client, ClamdOptions options, ILogger logger)
    {
        _client = client;
        _stream = client.GetStream();
        _options = options;
        _logger = logger;
    }

    public static async Task<ClamdConnection> OpenAsync(ClamdOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            throw new ScannerUnavailableException("Virus scanning is not configured");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await client.ConnectAsync(options.Host, options.Port, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The scan was cancelled.", ex, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw Unavailable(options, logger, $"timed out after {options.ConnectTimeout.TotalSeconds:0.###} s connecting", ex);
            }
            catch (SocketException ex)
            {
                var reason = ex.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : $"cannot connect ({ex.SocketErrorCode})";
                throw Unavailable(options, logger, reason, ex);
            }

            return new ClamdConnection(client, options, logger);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Writes all bytes; false when clamd has closed or reset the connection (it does so mid-stream at its size limit).</summary>
    public async Task<bool> WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        try
        {
            await _stream.WriteAsync(bytes, timeout.Token);
            return true;
        }
        catch (Exception ex) when (IsCancellation(ex, cancellationToken))
        {
            throw new OperationCanceledException("The scan was cancelled.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw Unavailable($"timed out after {_options.ReadTimeout.TotalSeconds:0.###} s sending to clamd", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads one reply up to its NUL terminator (or the end of the stream); null when nothing could be read.</summary>
    public async Task<string?> ReadReplyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        var reply = new byte[MaxReplyLength];
        var length = 0;
        try
        {
            while (length < reply.Length)
            {
                var read = await _stream.ReadAsync(reply.AsMemory(length), timeout.Token);
                if (read == 0)
                {
                    break;
                }

                var end = Array.IndexOf(reply, (byte)0, length, read);
                if (end >= 0)
                {
                    return Decode(reply, end);
                }

                length += read;
            }
        }
        catch (Exception ex) when (IsCancellation(ex, cancellationToken))
        {
            throw new OperationCanceledException("The scan was cancelled.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw Unavailable($"timed out after {_options.ReadTimeout.TotalSeconds:0.###} s waiting for clamd's reply", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // A reset after a partial reply: what arrived is parsed strictly, so a fragment never passes as a verdict.
        }

        if (length == reply.Length)
        {
            throw Unavailable($"clamd's reply is longer than {MaxReplyLength} bytes");
        }

        return length == 0 ? null : Decode(reply, length);
    }

    public ScannerUnavailableException Unavailable(string reason, Exception? inner = null) => Unavailable(_options, _logger, reason, inner);

    public void Dispose() => _client.Dispose();

    private static string Decode(byte[] reply, int length) => Encoding.UTF8.GetString(reply, 0, length).TrimEnd('\n', '\r');

    private static bool IsCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException or IOException or SocketException && cancellationToken.IsCancellationRequested;

    private static ScannerUnavailableException Unavailable(ClamdOptions options, ILogger logger, string reason, Exception? inner)
    {
        logger.LogWarning("Virus scanner at {Host}:{Port} unavailable: {Reason}", options.Host, options.Port, reason);
        var message = $"Virus scanner at {options.Host}:{options.Port} unavailable: {reason}.";
        return inner is null ? new ScannerUnavailableException(message) : new ScannerUnavailableException(message, inner);
    }
}
