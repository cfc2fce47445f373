using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// Prepared statements of one connection, reused by SQL text. Parameters are named
/// <c>$p0</c>, <c>$p1</c>, ... in the order given to <see cref="Get"/>.
/// </summary>
internal sealed class StatementCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
            }

            _commands[sql] = command;
        }

        return command;
    }

    public SqliteCommand Get(string sql, params object?[] values)
    {
        var command = Get(sql, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
