using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>endSessions</c>: the driver is done with these logical sessions. The emulator keeps no
/// session state of its own; it announces them on <see cref="Server.ServerState.SessionsEnded"/>
/// so per-session resources (cursors) can be released.
/// </summary>
public sealed class EndSessionsCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "endSessions";

    /// <inheritdoc />
    public string Help => "end a set of logical sessions";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(SessionCommandSupport.Announce(context));
}

/// <summary><c>killSessions</c>: like <see cref="EndSessionsCommand"/>, for sessions to be killed.</summary>
public sealed class KillSessionsCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "killSessions";

    /// <inheritdoc />
    public string Help => "kill a logical session and its operations";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(SessionCommandSupport.Announce(context));
}

/// <summary><c>refreshSessions</c>: keeps sessions alive (nothing expires them in the emulator).</summary>
public sealed class RefreshSessionsCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "refreshSessions";

    /// <inheritdoc />
    public string Help => "renew a set of logical sessions";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        SessionCommandSupport.ReadSessionIds(context);
        return ValueTask.FromResult(new BsonDocument());
    }
}

/// <summary><c>startSession</c>: a new logical session id, <c>{id: {id: UUID}, timeoutMinutes: 30}</c>.</summary>
public sealed class StartSessionCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "startSession";

    /// <inheritdoc />
    public string Help => "start a logical session";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(new BsonDocument
        {
            { "id", new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid())) },
            { "timeoutMinutes", Server.ServerVersion.LogicalSessionTimeoutMinutes },
        });
}

/// <summary>Shared parsing of the session commands' array of <c>lsid</c> documents.</summary>
internal static class SessionCommandSupport
{
    public static BsonDocument Announce(CommandContext context)
    {
        var ids = ReadSessionIds(context);
        if (ids.Count > 0)
        {
            context.Server.OnSessionsEnded(ids);
        }

        return new BsonDocument();
    }

    public static IReadOnlyList<BsonDocument> ReadSessionIds(CommandContext context)
    {
        if (context.CommandValue is not BsonArray array)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{context.CommandName}' is the wrong type '{CommandContext.TypeName(context.CommandValue)}', expected type 'array'");
        }

        var ids = new List<BsonDocument>(array.Count);
        foreach (var item in array)
        {
            if (item is not BsonDocument id)
            {
                throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{context.CommandName}' contains an element of type '{CommandContext.TypeName(item)}', expected type 'object'");
            }

            ids.Add(id);
        }

        return ids;
    }
}
