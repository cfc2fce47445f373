using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Emulator.Query;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// The per-statement results of insert, update and delete: <c>n</c> and mongod's
/// <c>writeErrors</c> entries <c>{index, code, ...extra (keyPattern, keyValue), errmsg}</c>,
/// plus the shared parsing of the statements array and <c>ordered</c>.
/// </summary>
internal sealed class WriteErrors
{
    private readonly BsonArray _errors = [];

    /// <summary>True when no statement failed.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Records the failure of statement <paramref name="index"/>; false for exceptions that are not statement errors.</summary>
    public bool TryAdd(int index, Exception error)
    {
        var entry = new BsonDocument { { "index", index } };
        switch (error)
        {
            case ServerErrorException server:
                entry.Add("code", server.Code);
                if (server.Extra is not null)
                {
                    foreach (var (name, value) in server.Extra)
                    {
                        entry.Set(name, value);
                    }
                }

                break;
            case QueryException query:
                entry.Add("code", query.Code);
                break;
            default:
                return false;
        }

        entry.Add("errmsg", error.Message);
        _errors.Add(entry);
        return true;
    }

    /// <summary>Adds <c>writeErrors</c> to <paramref name="reply"/> when any statement failed.</summary>
    public void AppendTo(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!IsEmpty)
        {
            reply.Add("writeErrors", _errors);
        }
    }

    /// <summary>
    /// The statements of a write command (<paramref name="field"/> in the body or as a kind-1
    /// sequence): required, between 1 and 100,000 of them (mongod's InvalidLength otherwise).
    /// </summary>
    public static IReadOnlyList<BsonDocument> Statements(CommandContext context, string commandName, string field)
    {
        ArgumentNullException.ThrowIfNull(context);
        var statements = context.GetDocuments(field) ?? throw CommandArgs.Missing(commandName, field);
        CheckCount(statements.Count);
        return statements;
    }

    /// <summary>
    /// The statements of a write command when they came as a kind-1 sequence whose documents the
    /// connection kept as received bytes (and <paramref name="field"/> is not also in the body),
    /// checked as <see cref="Statements"/> checks them but not decoded; otherwise null.
    /// </summary>
    public static Wire.DocumentSequence? ReceivedStatements(CommandContext context, string field)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetSequence(field) is not { HasRawDocuments: true } sequence || context.Command.Contains(field))
        {
            return null;
        }

        CheckCount(sequence.Count);
        return sequence;
    }

    private static void CheckCount(int count)
    {
        if (count is 0 or > Server.ServerVersion.MaxWriteBatchSize)
        {
            throw new ServerErrorException(ErrorCodes.InvalidLength,
                $"Write batch sizes must be between 1 and {Server.ServerVersion.MaxWriteBatchSize.ToString(CultureInfo.InvariantCulture)}. Got {count.ToString(CultureInfo.InvariantCulture)} operations.");
        }
    }

    /// <summary>The <c>ordered</c> argument (true by default).</summary>
    public static bool Ordered(BsonDocument command, string commandName)
    {
        var value = command.GetValueOrDefault("ordered");
        return value switch
        {
            null or BsonNull => true,
            BsonBoolean b => b.Value,
            _ => throw CommandArgs.WrongType(commandName, "ordered", value, "type 'bool'"),
        };
    }
}
