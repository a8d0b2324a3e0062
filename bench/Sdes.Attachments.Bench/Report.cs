using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Sdes.Attachments.Bench;

internal static class Report
{
    public static string Table(IReadOnlyList<CaseResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine("| File | Store | Raw clamd p50 | Raw p95 | Raw mean | Pipeline p50 | Pipeline p95 | Pipeline mean | Pipeline / raw (p50) | Meets >= 80% | Browser-like p50 | Browser-like / raw |");
        s.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: |");
        foreach (var r in results)
        {
            var size = r.Input.Bytes.Length;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Input.Label} (`{r.Input.Name}`) | {r.Store} | {M(size, Stats.Percentile(r.Raw, 0.5))} | {M(size, Stats.Percentile(r.Raw, 0.95))} | {M(size, r.Raw.Average())} | {M(size, Stats.Percentile(r.Pipeline, 0.5))} | {M(size, Stats.Percentile(r.Pipeline, 0.95))} | {M(size, r.Pipeline.Average())} | {r.Ratio:P0} | {(r.Meets ? "yes" : "**NO**")} | {M(size, Stats.Percentile(r.Browser, 0.5))} | {r.BrowserRatio:P0} |");
        }

        return s.ToString();
    }

    public static string Build(BenchOptions options, IReadOnlyList<CaseResult> results, string clamdVersion, string? azurite, TimeSpan elapsed,
        (string Before, string After) load)
    {
        var s = new StringBuilder();
        s.AppendLine("# Attachment pipeline benchmark");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/attachments.sh` ({options.Runs} runs after {options.Warmup} warm-up runs per measurement; the benchmark itself took {elapsed.TotalSeconds:N0} s). Throughput in MB/s (10^6 bytes per second) of a 10,000,000-byte file; higher is better.");
        s.AppendLine();
        s.AppendLine("Goal (issue 4): the upload pipeline (upload -> scan -> encrypt -> store) reaches at least 80% of raw clamd INSTREAM throughput on the same file, measured in the same run.");
        s.AppendLine();
        s.AppendLine("## Setup");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Cpu()}, {Environment.ProcessorCount} logical CPUs, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0} GB RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}. clamd, Azurite and the benchmark share these CPUs.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min) when the measurements started: {load.Before}; when they ended: {load.After}. Other work on the machine shows up as noise in p95.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Scanner: {clamdVersion} on 127.0.0.1 over TCP (`scripts/lib/services.sh` start_clamd: the local test signature database only, StreamMaxLength 25M, ScanArchive yes, Bytecode no). With the full official database clamd's own scan time grows; raw and pipeline grow alike.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Stores: Local folder (`LocalFolderAttachmentStore` under the run's temp folder on {DiskOf(options.WorkDir)}){(azurite is null ? "; Azurite was not given, so no blob store" : $"; Azure Blob via {azurite} on 127.0.0.1, 4 MiB blocks")}.");
        s.AppendLine("- Inputs: `random-10MB.dat`: 10,000,000 random bytes (.dat has no format check, clamd scans it as unknown data). `meter-readings-10MB.csv`: a 10,000,000-byte meter-readings export (MPAN, serial, date, register, reading, read type, source, comment per line; compressible text), content-checked as text.");
        s.AppendLine("- Raw clamd: `IVirusScanner.ScanAsync(new MemoryStream(bytes))`, the `ClamdScanner` registered by `AddVirusScanning`: one connection, zINSTREAM, 64 KiB chunks, the verdict. Must be Clean.");
        s.AppendLine("- Pipeline: `AttachmentIngestor.IngestAsync(new MemoryStream(bytes), ...)` as the app registers it (`AddVirusScanning` + `AddAttachmentStorage`): 64 KiB reads, size limit, content check, AES-256-GCM segments into the store and the same chunk to clamd, then the verdict. The attachment must come back Clean with the right size; the stored object is deleted after each run (not timed). No database.");
        s.AppendLine("- Browser-like: the same pipeline fed by a stream that returns at most 32 KiB per read, as Blazor Server's `IBrowserFile.OpenReadStream` does (the network transfer from the browser itself is not included).");
        s.AppendLine("- Raw, pipeline and browser-like runs alternate, so load on the shared machine hits all alike. p95 is the 95th percentile of time, shown as MB/s (so it is the slow end); mean is bytes over mean time.");
        s.AppendLine();
        s.AppendLine("## Results (MB/s)");
        s.AppendLine();
        s.Append(Table(results));
        s.AppendLine();
        s.AppendLine("Times (ms):");
        s.AppendLine();
        s.AppendLine("| File | Store | Raw p50 | Raw p95 | Pipeline p50 | Pipeline p95 | Browser-like p50 | Browser-like p95 |");
        s.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Input.Label} | {r.Store} | {Ms(Stats.Percentile(r.Raw, 0.5))} | {Ms(Stats.Percentile(r.Raw, 0.95))} | {Ms(Stats.Percentile(r.Pipeline, 0.5))} | {Ms(Stats.Percentile(r.Pipeline, 0.95))} | {Ms(Stats.Percentile(r.Browser, 0.5))} | {Ms(Stats.Percentile(r.Browser, 0.95))} |");
        }

        s.AppendLine();
        s.AppendLine("## Where the time goes");
        s.AppendLine();
        s.AppendLine("A second alternating series: raw clamd again, the pipeline with timing decorators around the scanner and the store, the pipeline with an unreachable scanner (read + content check + encryption + store; the file stays pending), and the store alone (the file's bytes written to `IAttachmentStore.OpenWriteAsync` in 64 KiB writes, no encryption, no scan: the store's ceiling). Medians in ms. Scan chunk writes overlap with encryption and the store (the ingestor starts the clamd write, encrypts and stores the chunk, then awaits the clamd write), so the columns add up to more than the total when they overlap. Verdict wait: from the end-of-stream marker to clamd's reply, i.e. clamd's own scan of the whole stream, which no pipeline can overlap with anything.");
        s.AppendLine();
        s.AppendLine("| File | Store | Raw clamd | Pipeline | Pipeline - raw | Scan connect | Scan chunk writes | Verdict wait | Store open | Store writes | Store commit | Pipeline without scanner | Store alone |");
        s.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var raw = Stats.Percentile(r.BreakdownRaw, 0.5);
            var total = Stats.Percentile(r.Instrumented.Select(p => p.Total).ToList(), 0.5);
            double P(Func<PhaseRun, double> f) => Stats.Percentile(r.Instrumented.Select(f).ToList(), 0.5);
            var noScan = Stats.Percentile(r.NoScan, 0.5);
            var storeOnly = Stats.Percentile(r.StoreOnly, 0.5);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Input.Label} | {r.Store} | {Ms(raw)} | {Ms(total)} | {Ms(total - raw)} | {Ms(P(p => p.ScanConnect))} | {Ms(P(p => p.ScanWrites))} | {Ms(P(p => p.ScanVerdict))} | {Ms(P(p => p.StoreOpen))} | {Ms(P(p => p.StoreWrites))} | {Ms(P(p => p.StoreCommit))} | {Ms(noScan)} ({M(r.Input.Bytes.Length, noScan)} MB/s) | {Ms(storeOnly)} ({M(r.Input.Bytes.Length, storeOnly)} MB/s) |");
        }

        s.AppendLine();
        s.AppendLine("Ceiling: no pipeline can be faster than its slowest stage, so with perfect overlap pipeline / raw is at most raw clamd / max(raw clamd, store alone). Serial time: pipeline - max(raw clamd, store alone), what the pipeline adds beyond that bound.");
        s.AppendLine();
        s.AppendLine("| File | Store | Ceiling (pipeline / raw) | Measured (this series) | Serial time (ms) |");
        s.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var raw = Stats.Percentile(r.BreakdownRaw, 0.5);
            var total = Stats.Percentile(r.Instrumented.Select(p => p.Total).ToList(), 0.5);
            var bound = Math.Max(raw, Stats.Percentile(r.StoreOnly, 0.5));
            s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Input.Label} | {r.Store} | {raw / bound:P0} | {raw / total:P0} | {Ms(total - bound)} |");
        }

        s.AppendLine();
        s.AppendLine("The pieces alone (same series, MB/s, p50): encryption alone is `AttachmentEncryption.EncryptTo(Stream.Null, ...)` in 64 KiB writes; the content check alone is `ContentInspector` over the file in 64 KiB chunks; no-op store is the full pipeline with real clamd and a store that discards the ciphertext.");
        s.AppendLine();
        s.AppendLine("| File | Encryption alone | Content check alone | Pipeline, no-op store | No-op store / raw |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Where(r => r.EncryptOnly.Count > 0))
        {
            var size = r.Input.Bytes.Length;
            var nullStore = Stats.Percentile(r.NullStore, 0.5);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Input.Label} | {M(size, Stats.Percentile(r.EncryptOnly, 0.5))} | {M(size, Stats.Percentile(r.InspectOnly, 0.5))} | {M(size, nullStore)} | {Stats.Percentile(r.BreakdownRaw, 0.5) / nullStore:P0} |");
        }

        s.AppendLine();
        return s.ToString();
    }

    private static string M(long bytes, double seconds) => Stats.MBps(bytes, seconds).ToString(seconds > 0 && bytes / 1e6 / seconds >= 1000 ? "N0" : "0.0", CultureInfo.InvariantCulture);

    private static string Ms(double seconds) => (seconds * 1000).ToString(Math.Abs(seconds) < 0.01 ? "0.0" : "N0", CultureInfo.InvariantCulture);

    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string DiskOf(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var mount = File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).Where(f => f.Length > 2 && full.StartsWith(f[1], StringComparison.Ordinal))
                .MaxBy(f => f[1].Length);
            return mount is null ? "the local disk" : $"{mount[2]} ({mount[1]})";
        }
        catch (IOException)
        {
            return "the local disk";
        }
    }

    private static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
