using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sdes.Infrastructure.Scanning;

namespace Sdes.Tests.Scanning;

/// <summary>The real clamd client against the clamd scripts/test.sh starts (SDES_TEST_CLAMD), private clamds for limits and
/// restarts, and in-test TCP servers for the ways a scanner can misbehave.</summary>
public sealed class ClamdScannerTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task PingAsync_SharedClamd_AnswersPong()
    {
        await Scanner(SharedOptions()).PingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task VersionAsync_SharedClamd_ReturnsClamAvVersion()
    {
        var version = await Scanner(SharedOptions()).VersionAsync(CancellationToken.None);

        Assert.StartsWith("ClamAV ", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_CleanBytes_IsClean()
    {
        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream("MPAN,Serial\n1200012345678,S123\n"u8.ToArray()), CancellationToken.None);

        Assert.Equal(ScanVerdict.Clean, verdict);
    }

    [Fact]
    public async Task ScanAsync_TenMegabytesOfRandomBytes_IsClean()
    {
        var content = new byte[10 * Megabyte];
        new Random(7).NextBytes(content);

        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(ScanVerdict.Clean, verdict);
    }

    [Fact]
    public async Task ScanAsync_Eicar_IsInfectedWithTheSignatureName()
    {
        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(Eicar.Bytes()), CancellationToken.None);

        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
        Assert.Matches(@"^Sdes\.Test\.EICAR-(NDB|HDB)\.UNOFFICIAL$", verdict.Signature);
    }

    [Fact]
    public async Task ScanAsync_EicarAcrossAChunkBoundary_IsInfected()
    {
        var options = SharedOptions();
        var content = new byte[3 * options.ChunkSize];
        Eicar.Bytes().CopyTo(content, options.ChunkSize - 30);

        var verdict = await Scanner(options).ScanAsync(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
    }

    [Fact]
    public async Task ScanAsync_EicarInsideZip_IsInfected()
    {
        var zip = Zip("readings.txt", Eicar.Bytes());

        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
    }

    [Fact]
    public async Task ScanAsync_EicarInsideZipInsideZip_IsInfected()
    {
        var zip = Zip("outer/inner.zip", Zip("readings.txt", Eicar.Bytes()));

        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
    }

    [Fact]
    public async Task WriteAsync_EicarInSevenByteChunks_IsInfected()
    {
        var eicar = Eicar.Bytes();
        await using var session = await Scanner(SharedOptions()).StartAsync(CancellationToken.None);

        for (var i = 0; i < eicar.Length; i += 7)
        {
            await session.WriteAsync(eicar.AsMemory(i, Math.Min(7, eicar.Length - i)), CancellationToken.None);
        }

        var verdict = await session.CompleteAsync(CancellationToken.None);
        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
    }

    [Fact]
    public async Task ScanAsync_EncryptedZipEntry_IsInfectedWithEncryptedHeuristic()
    {
        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(HandMadeZip(encrypted: true)), CancellationToken.None);

        Assert.Equal(ScanOutcome.Infected, verdict.Outcome);
        Assert.Equal("Heuristics.Encrypted.Zip", verdict.Signature);
    }

    [Fact]
    public async Task ScanAsync_SameZipWithoutEncryptedFlag_IsClean()
    {
        var verdict = await Scanner(SharedOptions()).ScanAsync(new MemoryStream(HandMadeZip(encrypted: false)), CancellationToken.None);

        Assert.Equal(ScanVerdict.Clean, verdict);
    }

    [Fact]
    public async Task CompleteAsync_StreamLongerThanStreamMaxLength_IsErrorNotClean()
    {
        await using var clamd = await ClamdServer.StartAsync(streamMaxLength: "1M");
        var chunk = new byte[64 * 1024];
        new Random(3).NextBytes(chunk);
        await using var session = await Scanner(clamd.Options()).StartAsync(CancellationToken.None);

        // clamd replies and closes the socket at 1 MB. 16 MB is more than the loopback socket buffers hold, so the writes
        // after the close fail with a broken pipe (observed: at about limit + 5 MB); they must not throw.
        for (var written = 0; written < 16 * Megabyte; written += chunk.Length)
        {
            await session.WriteAsync(chunk, CancellationToken.None);
        }

        var verdict = await session.CompleteAsync(CancellationToken.None);
        Assert.True(((ClamdScanSession)session).ServerClosedStream);
        Assert.Equal(ScanOutcome.Error, verdict.Outcome);
        Assert.Contains("size limit exceeded", verdict.Signature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_StreamSlightlyLongerThanStreamMaxLength_IsError()
    {
        await using var clamd = await ClamdServer.StartAsync(streamMaxLength: "1M");

        var verdict = await Scanner(clamd.Options()).ScanAsync(new MemoryStream(new byte[Megabyte + 1]), CancellationToken.None);

        Assert.Equal(ScanOutcome.Error, verdict.Outcome);
    }

    [Fact]
    public async Task ScanAsync_PrivateClamdStoppedThenStarted_IsUnavailableThenClean()
    {
        await using var clamd = await ClamdServer.StartAsync();
        var scanner = Scanner(clamd.Options());

        await clamd.StopAsync();
        await Assert.ThrowsAsync<ScannerUnavailableException>(() => scanner.ScanAsync(new MemoryStream("a,b\n"u8.ToArray()), CancellationToken.None));

        await clamd.StartAsync();
        Assert.Equal(ScanVerdict.Clean, await scanner.ScanAsync(new MemoryStream("a,b\n"u8.ToArray()), CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_NothingListening_ThrowsScannerUnavailable()
    {
        var options = new ClamdOptions { Port = ClamdServer.FreePort() };

        var ex = await Assert.ThrowsAsync<ScannerUnavailableException>(() => Scanner(options).StartAsync(CancellationToken.None));

        Assert.Contains("connection refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_ServerNeverAnswers_ThrowsScannerUnavailableAfterReadTimeout()
    {
        using var server = new FakeServer(reply: null);
        var options = new ClamdOptions { Port = server.Port, ReadTimeout = TimeSpan.FromMilliseconds(300) };
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ScannerUnavailableException>(() => Scanner(options).ScanAsync(new MemoryStream("a,b\n"u8.ToArray()), CancellationToken.None));

        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task VersionAsync_ServerNeverAnswers_ThrowsScannerUnavailableAfterReadTimeout()
    {
        using var server = new FakeServer(reply: null);
        var options = new ClamdOptions { Port = server.Port, ReadTimeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<ScannerUnavailableException>(() => Scanner(options).VersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScanAsync_CallerCancelsWhileWaitingForVerdict_ThrowsOperationCanceled()
    {
        using var server = new FakeServer(reply: null);
        var options = new ClamdOptions { Port = server.Port, ReadTimeout = TimeSpan.FromSeconds(30) };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Scanner(options).ScanAsync(new MemoryStream("a,b\n"u8.ToArray()), cancellation.Token));

        Assert.Equal(cancellation.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task StartAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Scanner(SharedOptions()).StartAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task CompleteAsync_ServerClosesWithoutReply_ThrowsScannerUnavailable()
    {
        using var server = new FakeServer(reply: []);
        await using var session = await Scanner(new ClamdOptions { Port = server.Port }).StartAsync(CancellationToken.None);
        await session.WriteAsync("a,b\n"u8.ToArray(), CancellationToken.None);

        await Assert.ThrowsAsync<ScannerUnavailableException>(() => session.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScanAsync_ServerSendsSomethingElse_ThrowsScannerUnavailable()
    {
        using var server = new FakeServer(reply: "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());

        var ex = await Assert.ThrowsAsync<ScannerUnavailableException>(() => Scanner(new ClamdOptions { Port = server.Port }).ScanAsync(new MemoryStream("a,b\n"u8.ToArray()), CancellationToken.None));

        Assert.Contains("unexpected reply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_Disabled_ThrowsScannerUnavailable()
    {
        var scanner = Scanner(new ClamdOptions { Enabled = false });

        var scan = await Assert.ThrowsAsync<ScannerUnavailableException>(() => scanner.ScanAsync(new MemoryStream([1]), CancellationToken.None));
        await Assert.ThrowsAsync<ScannerUnavailableException>(() => scanner.StartAsync(CancellationToken.None));

        Assert.Equal("Virus scanning is not configured", scan.Message);
    }

    [Fact]
    public async Task CompleteAsync_CalledTwice_ThrowsInvalidOperation()
    {
        await using var session = await Scanner(SharedOptions()).StartAsync(CancellationToken.None);
        await session.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.CompleteAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("stream: OK", ScanOutcome.Clean, null)]
    [InlineData("stream: Sdes.Test.EICAR-NDB.UNOFFICIAL FOUND", ScanOutcome.Infected, "Sdes.Test.EICAR-NDB.UNOFFICIAL")]
    [InlineData("stream: Heuristics.Encrypted.Zip FOUND", ScanOutcome.Infected, "Heuristics.Encrypted.Zip")]
    [InlineData("INSTREAM size limit exceeded. ERROR", ScanOutcome.Error, "INSTREAM size limit exceeded. ERROR")]
    public void ParseScanReply_ClamdReply_GivesVerdict(string reply, ScanOutcome outcome, string? signature)
    {
        Assert.Equal(new ScanVerdict(outcome, signature), ClamdScanner.ParseScanReply(reply));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PONG")]
    [InlineData("stream: OK but more")]
    [InlineData("stream:  FOUND")]
    [InlineData("stream: Eicar FOU")]
    public void ParseScanReply_AnythingElse_IsNoVerdict(string reply)
    {
        Assert.Null(ClamdScanner.ParseScanReply(reply));
    }

    [Fact]
    public void AddVirusScanning_Configuration_BindsOptionsAndRegistersSingleton()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scanning:Clamd:Host"] = "clamd.internal",
            ["Scanning:Clamd:Port"] = "3311",
            ["Scanning:Clamd:ReadTimeout"] = "00:00:30",
            ["Scanning:Clamd:Enabled"] = "false",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddVirusScanning(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<ClamdOptions>();
        Assert.Equal(("clamd.internal", 3311, TimeSpan.FromSeconds(30), false, 64 * 1024), (options.Host, options.Port, options.ReadTimeout, options.Enabled, options.ChunkSize));
        Assert.IsType<ClamdScanner>(provider.GetRequiredService<IVirusScanner>());
        Assert.Same(provider.GetRequiredService<IVirusScanner>(), provider.GetRequiredService<IVirusScanner>());
    }

    private static ClamdScanner Scanner(ClamdOptions options) => new(options, NullLogger<ClamdScanner>.Instance);

    private static ClamdOptions SharedOptions()
    {
        var endpoint = Environment.GetEnvironmentVariable("SDES_TEST_CLAMD");
        if (string.IsNullOrEmpty(endpoint) || !IPEndPoint.TryParse(endpoint, out var parsed))
        {
            throw new InvalidOperationException("SDES_TEST_CLAMD is not set to clamd's host:port: run the tests with ./scripts/test.sh, which starts clamd.");
        }

        return new ClamdOptions { Host = parsed.Address.ToString(), Port = parsed.Port, ReadTimeout = TimeSpan.FromSeconds(20) };
    }

    private static byte[] Zip(string entryName, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(entryName).Open();
            entry.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>A one-entry stored zip of random bytes, optionally with the "encrypted" flag (general purpose bit 0) and room
    /// for a traditional PKWARE encryption header. System.IO.Compression cannot write encrypted entries, so the headers are
    /// written here.</summary>
    private static byte[] HandMadeZip(bool encrypted)
    {
        var name = "meter-readings.csv"u8.ToArray();
        var data = new byte[12 + 64];
        new Random(11).NextBytes(data);
        var flags = (ushort)(encrypted ? 1 : 0);
        const uint crc = 0x1234_5678;

        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write(0x04034b50u);
        writer.Write((ushort)20);
        writer.Write(flags);
        writer.Write((ushort)0);
        writer.Write(0u);
        writer.Write(crc);
        writer.Write((uint)data.Length);
        writer.Write((uint)(data.Length - 12));
        writer.Write((ushort)name.Length);
        writer.Write((ushort)0);
        writer.Write(name);
        writer.Write(data);

        var centralDirectory = (uint)buffer.Position;
        writer.Write(0x02014b50u);
        writer.Write((ushort)20);
        writer.Write((ushort)20);
        writer.Write(flags);
        writer.Write((ushort)0);
        writer.Write(0u);
        writer.Write(crc);
        writer.Write((uint)data.Length);
        writer.Write((uint)(data.Length - 12));
        writer.Write((ushort)name.Length);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write(0u);
        writer.Write(0u);
        writer.Write(name);
        var centralDirectorySize = (uint)buffer.Position - centralDirectory;

        writer.Write(0x06054b50u);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)1);
        writer.Write((ushort)1);
        writer.Write(centralDirectorySize);
        writer.Write(centralDirectory);
        writer.Write((ushort)0);
        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>A TCP server that accepts one connection, reads the INSTREAM command and then either stays silent
    /// (<c>reply</c> null), or sends <c>reply</c> and closes.</summary>
    private sealed class FakeServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public FakeServer(byte[]? reply)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _serving = ServeAsync(reply, _stop.Token);
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was stopped under a pending accept or read.
            }

            _stop.Dispose();
        }

        private async Task ServeAsync(byte[]? reply, CancellationToken stop)
        {
            using var client = await _listener.AcceptTcpClientAsync(stop);
            var stream = client.GetStream();
            var command = new byte["zINSTREAM\0".Length];
            await stream.ReadExactlyAsync(command, stop);
            if (reply is null)
            {
                await Task.Delay(Timeout.Infinite, stop);
                return;
            }

            await stream.WriteAsync(reply, stop);
        }
    }
}
