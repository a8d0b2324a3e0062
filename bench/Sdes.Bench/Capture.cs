using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Sdes.Bench;

/// <summary>One command exactly as EF Core sent it: its SQL and copies of its parameters (names, values, provider types).</summary>
internal sealed record CapturedCommand(string Sql, IReadOnlyList<DbParameter> Parameters)
{
    public string Label => Classify(Sql);

    public DbCommand Bind(DbConnection connection, string? sql = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql ?? Sql;
        foreach (var p in Parameters)
        {
            command.Parameters.Add(Copy(p));
        }

        return command;
    }

    public static DbParameter Copy(DbParameter p) => p switch
    {
        NpgsqlParameter n => n.Clone(),
        // Size only when EF set one: an explicit Size of 0 would truncate text (and GUIDs bound as text) to nothing.
        SqliteParameter s when s.Size > 0 => new SqliteParameter(s.ParameterName, s.Value) { SqliteType = s.SqliteType, Size = s.Size },
        SqliteParameter s => new SqliteParameter(s.ParameterName, s.Value) { SqliteType = s.SqliteType },
        _ => throw new NotSupportedException(p.GetType().Name),
    };

    private static string Classify(string sql)
    {
        var parties = sql.Contains("\"CommunicationParties\"", StringComparison.Ordinal);
        if (parties && sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase))
        {
            return "archived-unread badge (COUNT)";
        }

        if (parties)
        {
            return "page (parties JOIN communications, LIMIT 26)";
        }

        if (sql.Contains("\"Organisations\"", StringComparison.Ordinal))
        {
            return "names: counterparties";
        }

        return sql.Contains("\"Code\" =", StringComparison.Ordinal) ? "process by code" : "names: processes";
    }
}

/// <summary>Records every command a context executes (the benchmark's capture pass only).</summary>
internal sealed class CaptureInterceptor : DbCommandInterceptor
{
    public List<CapturedCommand> Commands { get; } = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Add(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Add(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Add(command);
        return ValueTask.FromResult(result);
    }

    private void Add(DbCommand command)
    {
        Commands.Add(new CapturedCommand(command.CommandText, command.Parameters.Cast<DbParameter>().Select(CapturedCommand.Copy).ToList()));
    }
}
