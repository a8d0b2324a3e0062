using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Sdes.Infrastructure.Scanning;

namespace Sdes.Tests.Scanning;

/// <summary>A private clamd on its own port, using the test signatures scripts/test.sh writes (SDES_TEST_CLAMD_DB), for tests
/// that stop and restart the scanner or need other limits than the shared one. Runs as the clamav user when the tests run as
/// root. Stopping and starting again keeps the port.</summary>
public sealed class ClamdServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly string _configPath;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ClamdServer(string databaseDirectory, string streamMaxLength)
    {
        Port = FreePort();
        _directory = Directory.CreateTempSubdirectory("sdes-clamd-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // The clamav user writes its log here.
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
        }

        _configPath = Path.Combine(_directory, "clamd.conf");
        File.WriteAllText(_configPath, string.Join('\n',
            $"DatabaseDirectory {databaseDirectory}",
            $"TCPSocket {Port.ToString(CultureInfo.InvariantCulture)}",
            "TCPAddr 127.0.0.1",
            "Foreground yes",
            $"LogFile {Path.Combine(_directory, "clamd.log")}",
            $"StreamMaxLength {streamMaxLength}",
            "AlertExceedsMax yes",
            "AlertEncrypted yes",
            "MaxFileSize 25M",
            "MaxScanSize 100M",
            "Bytecode no",
            "ScanArchive yes",
            string.Empty));
    }

    public int Port { get; }

    /// <summary>Starts a clamd; <paramref name="streamMaxLength"/> is clamd.conf's StreamMaxLength (e.g. 1M).</summary>
    public static async Task<ClamdServer> StartAsync(string streamMaxLength = "25M")
    {
        var database = Environment.GetEnvironmentVariable("SDES_TEST_CLAMD_DB");
        if (string.IsNullOrEmpty(database) || !Directory.Exists(database))
        {
            throw new InvalidOperationException(
                "SDES_TEST_CLAMD_DB is not set to clamd's test signature folder: run the tests with ./scripts/test.sh, which writes it and starts clamd.");
        }

        var server = new ClamdServer(database, streamMaxLength);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ClamdOptions Options() => new() { Host = "127.0.0.1", Port = Port, ConnectTimeout = TimeSpan.FromSeconds(2), ReadTimeout = TimeSpan.FromSeconds(20) };

    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("This clamd is already running.");
        }

        var info = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "clamav", "--", "/usr/sbin/clamd", "-c", _configPath])
            : new ProcessStartInfo("/usr/sbin/clamd", ["-c", _configPath]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var probeOptions = Options();
        probeOptions.ReadTimeout = TimeSpan.FromSeconds(2);
        var probe = new ClamdScanner(probeOptions, NullLogger<ClamdScanner>.Instance);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await probe.PingAsync(CancellationToken.None);
                return;
            }
            catch (ScannerUnavailableException) when (!_process.HasExited && deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(50);
            }
            catch (ScannerUnavailableException)
            {
                var log = Path.Combine(_directory, "clamd.log");
                throw new InvalidOperationException($"The private clamd on port {Port} did not answer PING "
                    + $"({(_process.HasExited ? "it exited" : $"not within {StartTimeout.TotalSeconds} s")}). Output: {Output()} Log: "
                    + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "(none)"));
            }
        }
    }

    /// <summary>Kills clamd and waits until its port refuses connections.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
        var deadline = Stopwatch.StartNew();
        while (PortAnswers())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"Port {Port} still accepts connections 10 s after clamd was killed.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private bool PortAnswers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(none)" : _output.ToString();
        }
    }
}
