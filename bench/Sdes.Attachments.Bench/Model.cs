using System.Globalization;
using System.Text;

namespace Sdes.Attachments.Bench;

internal sealed record Input(string Label, string Name, byte[] Bytes);

internal sealed record PhaseRun(double Total, double ScanConnect, double ScanWrites, double ScanVerdict, double StoreOpen, double StoreWrites, double StoreCommit);

internal sealed class CaseResult(Input input, string store)
{
    public Input Input { get; } = input;
    public string Store { get; } = store;
    public List<double> Raw { get; } = [];
    public List<double> Pipeline { get; } = [];
    public List<double> Browser { get; } = [];
    public List<double> BreakdownRaw { get; } = [];
    public List<PhaseRun> Instrumented { get; } = [];
    public List<double> NoScan { get; } = [];
    public List<double> StoreOnly { get; } = [];
    public List<double> NullStore { get; } = [];
    public List<double> EncryptOnly { get; } = [];
    public List<double> InspectOnly { get; } = [];

    /// <summary>Pipeline MB/s over raw clamd MB/s, both from the median time.</summary>
    public double Ratio => Stats.Percentile(Raw, 0.5) / Stats.Percentile(Pipeline, 0.5);

    public double BrowserRatio => Stats.Percentile(Raw, 0.5) / Stats.Percentile(Browser, 0.5);

    public bool Meets => Ratio >= 0.8;
}

internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>MB (10^6 bytes) per second.</summary>
    public static double MBps(long bytes, double seconds) => bytes / 1e6 / seconds;
}

internal static class Inputs
{
    public static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
#pragma warning disable CA5394 // reproducible filler, not a secret
        new Random(20261125).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }

    /// <summary>A meter-readings export as suppliers attach them: header, then one reading per line (MPAN with its check
    /// digit, meter serial, date, register, reading, read type, source). Exactly <paramref name="size"/> bytes, ending in a newline.</summary>
    public static byte[] MeterReadingsCsv(int size)
    {
#pragma warning disable CA5394 // reproducible filler, not a secret
        var random = new Random(20261126);
        var text = new StringBuilder(size + 200);
        text.Append("MPAN,MeterSerial,ReadingDate,Register,Reading,ReadType,Source,Comment\r\n");
        string[] types = ["A", "E", "C", "F", "I"];
        string[] sources = ["SMR", "DC", "CUST", "EST", "AMR"];
        string[] comments = ["", "", "", "customer read via portal", "estimated: no access", "replacement meter", "read disputed"];
        var start = new DateOnly(2024, 1, 1);
        while (text.Length < size)
        {
            var digits = new int[13];
            for (var d = 0; d < 12; d++)
            {
                digits[d] = random.Next(10);
            }

            digits[12] = MpanCheckDigit(digits);
            foreach (var d in digits)
            {
                text.Append((char)('0' + d));
            }

            text.Append(CultureInfo.InvariantCulture,
                $",{(char)('A' + random.Next(26))}{random.Next(10, 99)}K{random.Next(0, 9_999_999):D7},{start.AddDays(random.Next(0, 730)):yyyy-MM-dd},0{random.Next(1, 4)},{random.Next(0, 999_999):D6}.{random.Next(10)},{types[random.Next(types.Length)]},{sources[random.Next(sources.Length)]},{comments[random.Next(comments.Length)]}\r\n");
        }
#pragma warning restore CA5394

        var bytes = Encoding.ASCII.GetBytes(text.ToString(0, size - 2) + "\r\n");
        return bytes.Length == size ? bytes : throw new InvalidOperationException("CSV size mismatch.");
    }

    private static int MpanCheckDigit(int[] digits)
    {
        int[] primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += digits[i] * primes[i];
        }

        return sum % 11 % 10;
    }
}

internal sealed class BenchOptions
{
    public string Clamd { get; private set; } = Environment.GetEnvironmentVariable("SDES_TEST_CLAMD") ?? "127.0.0.1:3310";
    public string? Azurite { get; private set; } = NullIfEmpty(Environment.GetEnvironmentVariable("SDES_TEST_AZURITE"));
    public int Runs { get; private set; } = 20;
    public int Warmup { get; private set; } = 3;
    public string WorkDir { get; private set; } = Path.Combine(Path.GetTempPath(), $"sdes-attachments-bench-{Environment.ProcessId}");
    public string Out { get; private set; } = "results-attachments.md";

    public string ClamdHost => Clamd[..Clamd.LastIndexOf(':')];
    public int ClamdPort => int.Parse(Clamd[(Clamd.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--clamd": o.Clamd = Next(); break;
                case "--azurite": o.Azurite = NullIfEmpty(Next()); break;
                case "--runs": o.Runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--work": o.WorkDir = Path.GetFullPath(Next()); break;
                case "--out": o.Out = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.Runs < 1 || o.Warmup < 0 || !o.Clamd.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("--runs must be at least 1, --warmup at least 0, --clamd HOST:PORT.");
        }

        return o;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
