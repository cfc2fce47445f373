using DistributedSync.Bson;
using DistributedSync.Emulator.Commands;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The legacy opcodes, answered as mongod 6.0+ answers them: OP_QUERY only for the handshake and
/// authentication commands against <c>&lt;db&gt;.$cmd</c> (others get error 352), OP_QUERY on a
/// collection and OP_GET_MORE get an OP_REPLY with the QueryFailure flag and error 5739101, and
/// the fire-and-forget opcodes get nothing.
/// </summary>
internal sealed partial class ClientConnection
{
    private const string LegacyRemovalSuffix = ". The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal";

    // mongod's checkAllowedOpQueryCommand: the handshake, plus commands old drivers still send.
    private static readonly HashSet<string> AllowedOpQueryCommands = new(StringComparer.Ordinal)
    {
        "hello", "isMaster", "ismaster", "_isSelf", "authenticate", "buildinfo", "buildInfo", "saslContinue", "saslStart",
    };

    private async ValueTask<WireMessage?> HandleQueryAsync(OpQueryMessage query, CancellationToken token)
    {
        if (!string.Equals(query.CollectionName, "$cmd", StringComparison.Ordinal))
        {
            WarnLegacyOp("query");
            return LegacyFailure(query.RequestId, "OP_QUERY is no longer supported");
        }

        var command = Unwrap(query.Query);
        var name = command.Count > 0 ? command[0].Name : string.Empty;
        BsonDocument reply;
        if (command.Contains(CommandMessage.DatabaseField))
        {
            reply = CommandDispatcher.ErrorReply(40621, "Location40621", "$db is not allowed in OP_QUERY requests");
        }
        else if (!AllowedOpQueryCommands.Contains(name))
        {
            reply = CommandDispatcher.ErrorReply(
                ErrorCodes.UnsupportedOpQueryCommand,
                ErrorCodes.NameOf(ErrorCodes.UnsupportedOpQueryCommand),
                "Unsupported OP_QUERY command: " + name + LegacyRemovalSuffix);
        }
        else
        {
            var context = new CommandContext(query.DatabaseName, command, null, State, _server, isLegacyOpQuery: true);
            reply = await _server.Dispatcher.DispatchAsync(context, token).ConfigureAwait(false);
        }

        return new OpReplyMessage([reply])
        {
            ResponseFlags = OpReplyFlags.AwaitCapable,
            ResponseTo = query.RequestId,
            RequestId = RequestIds.Next(),
        };
    }

    // Old drivers wrap a command sent with read preference as {$query: {...}, $readPreference: ...}.
    private static BsonDocument Unwrap(BsonDocument query)
    {
        if (query.Count > 0 && query[0].Name is "$query" or "query" && query[0].Value is BsonDocument inner)
        {
            return inner;
        }

        return query;
    }

    private static OpReplyMessage LegacyFailure(int requestId, string what) => new([
        new BsonDocument
        {
            { "$err", what + LegacyRemovalSuffix },
            { "code", ErrorCodes.LegacyOpcodeRemoved },
            { "ok", 0.0 },
        },
    ])
    {
        ResponseFlags = OpReplyFlags.QueryFailure,
        ResponseTo = requestId,
        RequestId = RequestIds.Next(),
    };
}
