using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands;

/// <summary>
/// One database command (e.g. <c>insert</c>, <c>hello</c>). Implementations are discovered
/// automatically: every non-abstract class of the emulator assembly that implements this
/// interface and has a public parameterless constructor is registered by
/// <see cref="CommandDispatcher.CreateDefault"/> under <see cref="Name"/> and
/// <see cref="Aliases"/>, so adding a command means adding a class, nothing else.
/// </summary>
/// <remarks>
/// <para>One instance serves every connection concurrently: keep no per-request state in fields.
/// Per-server state (e.g. a cursor manager) lives in <see cref="Server.ServerState.GetOrAdd{T}"/>,
/// per-connection state in <see cref="Server.ConnectionState"/>.</para>
/// <para>The reply: <see cref="ExecuteAsync"/> returns the reply body. When it has no <c>ok</c>
/// field the dispatcher appends <c>ok: 1.0</c> as the last field (mongod's shape); a handler that
/// sets <c>ok</c> itself is left alone. To fail, throw <see cref="ServerErrorException"/> (or a
/// <see cref="Query.QueryException"/>): the dispatcher answers
/// <c>{ok: 0.0, errmsg, code, codeName, ...extra}</c>. Any other exception becomes code 1
/// (InternalError) with its message, and is logged.</para>
/// <para>Before the handler runs, the dispatcher has already checked that the command exists,
/// that the client is authenticated when <see cref="RequiresAuthentication"/> is true and the
/// server runs with <c>--auth</c>, and that an <see cref="AdminOnly"/> command targets
/// <c>admin</c>. Generic arguments (<c>lsid</c>, <c>$clusterTime</c>, <c>$readPreference</c>,
/// <c>apiVersion</c>, <c>apiStrict</c>, <c>apiDeprecationErrors</c>, <c>$db</c>, <c>comment</c>,
/// <c>maxTimeMS</c>, <c>readConcern</c>, <c>writeConcern</c>, <c>txnNumber</c>, ...) stay in
/// <see cref="CommandContext.Command"/>; handlers ignore the ones they do not use.</para>
/// </remarks>
public interface ICommandHandler
{
    /// <summary>The canonical command name (the first field of the command document).</summary>
    string Name { get; }

    /// <summary>Other names that run this command (e.g. <c>ismaster</c> for <c>isMaster</c>).</summary>
    IReadOnlyList<string> Aliases => [];

    /// <summary>
    /// Whether the client must be authenticated when the server enforces access control
    /// (<c>--auth</c>). True for everything except the handshake, authentication and a few
    /// diagnostics mongod allows before authentication.
    /// </summary>
    bool RequiresAuthentication => true;

    /// <summary>Whether the command may only run against the <c>admin</c> database.</summary>
    bool AdminOnly => false;

    /// <summary>A one-line description, reported by <c>listCommands</c>.</summary>
    string Help => string.Empty;

    /// <summary>Runs the command and returns the reply body (see the remarks on <c>ok</c>).</summary>
    /// <param name="context">The request, the connection, the server and its storage.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes or the server shuts down.</param>
    ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken);
}
