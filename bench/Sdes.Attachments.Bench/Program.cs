using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sdes.Attachments.Bench;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Scanning;

// Usage: Sdes.Attachments.Bench [--clamd HOST:PORT] [--azurite CONNECTION] [--runs 20] [--warmup 3] [--work DIR] [--out FILE]
// bench/attachments.sh starts clamd and Azurite on 127.0.0.1 and runs it; see bench/README.md.
// Defaults: --clamd $SDES_TEST_CLAMD, --azurite $SDES_TEST_AZURITE (no Azurite: the Local store only).
var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var started = Stopwatch.GetTimestamp();
Directory.CreateDirectory(options.WorkDir);

const int FileSize = 10_000_000;
var inputs = new[]
{
    new Input("Random bytes", "random-10MB.dat", Inputs.RandomBytes(FileSize)),
    new Input("Meter readings CSV", "meter-readings-10MB.csv", Inputs.MeterReadingsCsv(FileSize)),
};
var uploader = new UserRef(UserId.New(), "Bench Uploader", new OrganisationId(Guid.CreateVersion7()));
var maxBytes = AttachmentPolicy.Communications.MaxFileBytes;

var stores = new List<(string Name, ServiceProvider Services)> { ("Local folder", Services(AttachmentStoreKind.Local)) };
if (options.Azurite is not null)
{
    stores.Add(("Azure Blob (Azurite)", Services(AttachmentStoreKind.AzureBlob)));
}

var first = stores[0].Services;
var scanner = first.GetRequiredService<IVirusScanner>();
var encryption = first.GetRequiredService<AttachmentEncryption>();
var clamdVersion = await scanner.VersionAsync(ct);
Console.WriteLine($"Attachment pipeline benchmark: {clamdVersion} at {options.Clamd}; stores: {string.Join(", ", stores.Select(s => s.Name))}; {options.Runs} runs after {options.Warmup} warm-up runs");

var loadBefore = Report.LoadAverage();
var results = new List<CaseResult>();
foreach (var input in inputs)
{
    foreach (var (storeName, services) in stores)
    {
        var store = services.GetRequiredService<IAttachmentStore>();
        var ingestor = services.GetRequiredService<AttachmentIngestor>();
        var phases = new Phases();
        var instrumented = new AttachmentIngestor(new TimingStore(store, phases), encryption, new TimingScanner(scanner, phases),
            NullLogger<AttachmentIngestor>.Instance);
        var noScan = new AttachmentIngestor(store, encryption, new UnreachableScanner(), NullLogger<AttachmentIngestor>.Instance);
        var nullStore = new AttachmentIngestor(new NullStore(), encryption, scanner, NullLogger<AttachmentIngestor>.Instance);
        var local = storeName == stores[0].Name;
        var result = new CaseResult(input, storeName);
        Console.WriteLine($"{input.Label} / {storeName}: measuring ...");

        // The headline: raw clamd and the full pipeline alternate, so load on the shared machine hits both alike.
        for (var i = 0; i < options.Warmup + options.Runs; i++)
        {
            var measured = i >= options.Warmup;
            var raw = await RawScanAsync(input);
            var pipeline = await PipelineAsync(ingestor, store, new MemoryStream(input.Bytes, writable: false), input, AttachmentStatus.Clean);
            var browser = await PipelineAsync(ingestor, store, new ChunkedReadStream(input.Bytes, 32 * 1024), input, AttachmentStatus.Clean);
            if (measured)
            {
                result.Raw.Add(raw);
                result.Pipeline.Add(pipeline);
                result.Browser.Add(browser);
            }
        }

        // Where the time goes: the same pipeline with timing decorators, without the scanner, without the store, and the
        // pieces alone. Again alternating with raw clamd.
        for (var i = 0; i < options.Warmup + options.Runs; i++)
        {
            var measured = i >= options.Warmup;
            var raw = await RawScanAsync(input);
            phases.Reset();
            var timed = await PipelineAsync(instrumented, store, new MemoryStream(input.Bytes, writable: false), input, AttachmentStatus.Clean);
            var snapshot = new PhaseRun(timed, Phases.Seconds(phases.ScanConnect), Phases.Seconds(phases.ScanWrites), Phases.Seconds(phases.ScanVerdict),
                Phases.Seconds(phases.StoreOpen), Phases.Seconds(phases.StoreWrites), Phases.Seconds(phases.StoreCommit));
            var withoutScan = await PipelineAsync(noScan, store, new MemoryStream(input.Bytes, writable: false), input, AttachmentStatus.PendingScan);
            var storeOnly = await StoreOnlyAsync(store, input);
            double? withoutStore = null, encryptOnly = null, inspectOnly = null;
            if (local)
            {
                withoutStore = await PipelineAsync(nullStore, null, new MemoryStream(input.Bytes, writable: false), input, AttachmentStatus.Clean);
                encryptOnly = await EncryptOnlyAsync(input);
                inspectOnly = InspectOnly(input);
            }

            if (measured)
            {
                result.BreakdownRaw.Add(raw);
                result.Instrumented.Add(snapshot);
                result.NoScan.Add(withoutScan);
                result.StoreOnly.Add(storeOnly);
                if (local)
                {
                    result.NullStore.Add(withoutStore!.Value);
                    result.EncryptOnly.Add(encryptOnly!.Value);
                    result.InspectOnly.Add(inspectOnly!.Value);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  raw clamd p50 {Stats.MBps(FileSize, Stats.Percentile(result.Raw, 0.5)):0.0} MB/s, pipeline p50 {Stats.MBps(FileSize, Stats.Percentile(result.Pipeline, 0.5)):0.0} MB/s, ratio {result.Ratio:P0}"));
        results.Add(result);
    }
}

var loadAfter = Report.LoadAverage();
var elapsed = Stopwatch.GetElapsedTime(started);
var azuriteVersion = Environment.GetEnvironmentVariable("SDES_BENCH_AZURITE_VERSION") ?? "unknown";
var blobsVersion = typeof(Azure.Storage.Blobs.BlobClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
var markdown = Report.Build(options, results, clamdVersion, options.Azurite is null ? null : $"Azurite {azuriteVersion} (in-memory persistence), Azure.Storage.Blobs {blobsVersion}",
    elapsed, (loadBefore, loadAfter));
await File.WriteAllTextAsync(options.Out, markdown, ct);
Console.WriteLine();
Console.Write(Report.Table(results));
Console.WriteLine($"Wrote {options.Out}");

foreach (var (_, services) in stores)
{
    await services.DisposeAsync();
}

var failed = results.Where(r => !r.Meets).ToList();
return failed.Count == 0 ? 0 : 3;

ServiceProvider Services(AttachmentStoreKind kind)
{
    var settings = new Dictionary<string, string?>
    {
        ["Scanning:Clamd:Host"] = options.ClamdHost,
        ["Scanning:Clamd:Port"] = options.ClamdPort.ToString(CultureInfo.InvariantCulture),
        ["Attachments:Store:Kind"] = kind.ToString(),
        ["Attachments:Store:LocalPath"] = Path.Combine(options.WorkDir, "store"),
        ["Attachments:Store:ConnectionString"] = options.Azurite,
        ["Attachments:Store:Container"] = "sdes-bench-attachments",
        ["Attachments:Encryption:KeyFile"] = Path.Combine(options.WorkDir, "attachment-keys.json"),
    };
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddVirusScanning(configuration);
    services.AddAttachmentStorage(configuration, options.WorkDir);
    services.AddSingleton<AttachmentIngestor>();
    return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}

async Task<double> RawScanAsync(Input input)
{
    var start = Stopwatch.GetTimestamp();
    var verdict = await scanner.ScanAsync(new MemoryStream(input.Bytes, writable: false), ct);
    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    if (verdict.Outcome != ScanOutcome.Clean)
    {
        throw new InvalidOperationException($"Raw clamd INSTREAM of {input.Name} gave {verdict.Outcome} ({verdict.Signature}), not Clean.");
    }

    return seconds;
}

async Task<double> PipelineAsync(AttachmentIngestor with, IAttachmentStore? store, Stream source, Input input, AttachmentStatus expected)
{
    var name = AttachmentFileName.Parse(input.Name);
    var start = Stopwatch.GetTimestamp();
    var attachment = await with.IngestAsync(source, name, AttachmentModule.Communications, maxBytes, uploader, DateTimeOffset.UtcNow, null, ct);
    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    if (store is not null)
    {
        await store.DeleteAsync(attachment.Id.StorageName, ct);
    }

    if (attachment.Status != expected || attachment.SizeBytes != input.Bytes.Length)
    {
        throw new InvalidOperationException(
            $"The pipeline gave {attachment.Status} for {input.Name} ({attachment.SizeBytes:N0} bytes), not {expected} ({input.Bytes.Length:N0} bytes).");
    }

    return seconds;
}

async Task<double> EncryptOnlyAsync(Input input)
{
    var start = Stopwatch.GetTimestamp();
    using (var key = encryption.NewFileKey())
    {
        await using var encrypted = encryption.EncryptTo(Stream.Null, key.DataKey, Guid.CreateVersion7());
        for (var offset = 0; offset < input.Bytes.Length; offset += 64 * 1024)
        {
            await encrypted.WriteAsync(input.Bytes.AsMemory(offset, Math.Min(64 * 1024, input.Bytes.Length - offset)), ct);
        }
    }

    return Stopwatch.GetElapsedTime(start).TotalSeconds;
}

async Task<double> StoreOnlyAsync(IAttachmentStore store, Input input)
{
    var name = AttachmentId.New(DateTimeOffset.UtcNow).StorageName;
    var start = Stopwatch.GetTimestamp();
    await using (var target = await store.OpenWriteAsync(name, ct))
    {
        for (var offset = 0; offset < input.Bytes.Length; offset += 64 * 1024)
        {
            await target.WriteAsync(input.Bytes.AsMemory(offset, Math.Min(64 * 1024, input.Bytes.Length - offset)), ct);
        }
    }

    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    await store.DeleteAsync(name, ct);
    return seconds;
}

static double InspectOnly(Input input)
{
    var start = Stopwatch.GetTimestamp();
    var inspector = new ContentInspector(Path.GetExtension(input.Name));
    for (var offset = 0; offset < input.Bytes.Length; offset += 64 * 1024)
    {
        inspector.Append(input.Bytes.AsSpan(offset, Math.Min(64 * 1024, input.Bytes.Length - offset)));
    }

    var verdict = inspector.Complete();
    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    return verdict.Accepted ? seconds : throw new InvalidOperationException($"The content check refused {input.Name}: {verdict.Reason}");
}
