namespace Sdes.Infrastructure.Persistence;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up. On for the embedded default; production applies them with the documented command.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
