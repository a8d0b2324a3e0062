using System.Globalization;

namespace Sdes.Bench;

internal sealed class Options
{
    public string Provider { get; private set; } = "sqlite";
    public double Scale { get; private set; } = 1.0;
    public int Runs { get; private set; } = 50;
    public int Warmup { get; private set; } = 5;
    public string RepoRoot { get; private set; } = FindRepoRoot();
    public string DataDir { get; private set; } = string.Empty;
    public string OutDir { get; private set; } = string.Empty;
    public string? Postgres { get; private set; }
    public bool Reseed { get; private set; }
    public bool SeedOnly { get; private set; }
    public string? Only { get; private set; }

    /// <summary>SQL run before measuring (index changes to evaluate); results go to results-&lt;provider&gt;-what-if.md.</summary>
    public string? ApplySql { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--provider":
                    o.Provider = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => "sqlite",
                        "postgres" or "postgresql" => "postgres",
                        var other => throw new ArgumentException($"Unknown provider '{other}': use sqlite or postgres."),
                    };
                    break;
                case "--scale":
                    o.Scale = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--runs":
                    o.Runs = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--warmup":
                    o.Warmup = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--data":
                    o.DataDir = Path.GetFullPath(Value());
                    break;
                case "--out":
                    o.OutDir = Path.GetFullPath(Value());
                    break;
                case "--postgres":
                    o.Postgres = Value();
                    break;
                case "--reseed":
                    o.Reseed = true;
                    break;
                case "--seed-only":
                    o.SeedOnly = true;
                    break;
                case "--apply-sql":
                    o.ApplySql = Path.GetFullPath(Value());
                    break;
                case "--only":
                    o.Only = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (o.DataDir.Length == 0)
        {
            o.DataDir = Path.Combine(o.RepoRoot, "bench", "data");
        }

        if (o.OutDir.Length == 0)
        {
            o.OutDir = Path.Combine(o.RepoRoot, "bench");
        }

        return o;
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sdes.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
