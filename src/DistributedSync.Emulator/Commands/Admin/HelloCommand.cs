using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>hello</c>: the handshake. Answers as a standalone mongod 7.0 does: writable primary, no
/// <c>setName</c>, no <c>topologyVersion</c>, no compression; <c>helloOk</c> when asked,
/// <c>saslSupportedMechs</c> for an existing user, and a speculative SCRAM first step.
/// </summary>
public sealed class HelloCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "hello";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "Check if this server is primary for a replica set\n{ hello : 1 }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Build(context, legacyFields: false));

    /// <summary>The reply of hello (<paramref name="legacyFields"/> false) or isMaster (true).</summary>
    internal static BsonDocument Build(CommandContext context, bool legacyFields)
    {
        var command = context.Command;
        var connection = context.Connection;
        AcceptClientMetadata(context);
        var reply = new BsonDocument();
        if (command.Contains("helloOk"))
        {
            reply.Add("helloOk", true);
        }

        reply.Add(legacyFields ? "ismaster" : "isWritablePrimary", true);
        reply.Add("maxBsonObjectSize", ServerVersion.MaxBsonObjectSize);
        reply.Add("maxMessageSizeBytes", ServerVersion.MaxMessageSizeBytes);
        reply.Add("maxWriteBatchSize", ServerVersion.MaxWriteBatchSize);
        reply.Add("localTime", new BsonDateTime(context.Time.GetUtcNow().ToUnixTimeMilliseconds()));
        reply.Add("logicalSessionTimeoutMinutes", ServerVersion.LogicalSessionTimeoutMinutes);
        reply.Add("connectionId", connection.Id <= int.MaxValue ? BsonInt32.Create((int)connection.Id) : new BsonInt64(connection.Id));
        reply.Add("minWireVersion", ServerVersion.MinWireVersion);
        reply.Add("maxWireVersion", ServerVersion.MaxWireVersion);
        reply.Add("readOnly", false);
        if (command.GetValueOrDefault("saslSupportedMechs") is BsonString userName && FindUser(context, userName.Value) is { } user)
        {
            reply.Add("saslSupportedMechs", new BsonArray(user.Mechanisms.Select(m => (BsonValue)m)));
        }

        if (command.GetValueOrDefault("speculativeAuthenticate") is BsonDocument speculative
            && SpeculativeStart(context, speculative) is { } authReply)
        {
            reply.Add("speculativeAuthenticate", authReply);
        }

        connection.HelloSeen = true;
        return reply;
    }

    private static void AcceptClientMetadata(CommandContext context)
    {
        if (!context.Command.TryGetValue("client", out var metadata))
        {
            return;
        }

        if (context.Connection.HelloSeen)
        {
            throw new ServerErrorException(ErrorCodes.ClientMetadataCannotBeMutated, "The client metadata document may only be sent in the first hello");
        }

        if (metadata is not BsonDocument document)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, "The 'client' field is required to be a BSON document in the client metadata document");
        }

        context.Connection.ClientMetadata = document;
        if (!context.Log.Quiet)
        {
            context.Log.Info("NETWORK", 51800, context.Connection.Name, "client metadata", new BsonDocument
            {
                { "remote", context.Connection.RemoteAddress },
                { "client", context.Connection.Name },
                { "negotiatedCompressors", new BsonArray() },
                { "doc", document },
            });
        }
    }

    // "db.user": the user's authentication database, then its name (which may contain dots).
    private static UserRecord? FindUser(CommandContext context, string qualified)
    {
        var dot = qualified.IndexOf('.', StringComparison.Ordinal);
        return dot <= 0 || dot == qualified.Length - 1 ? null : context.Server.Users.Find(qualified[..dot], qualified[(dot + 1)..]);
    }

    private static BsonDocument? SpeculativeStart(CommandContext context, BsonDocument request)
    {
        if (request.GetValueOrDefault("db") is not BsonString database)
        {
            return null;
        }

        try
        {
            return SaslAuthenticator.Start(context.Server, context.Connection, database.Value, request, speculative: true);
        }
        catch (ServerErrorException)
        {
            // As mongod: a failed speculative start is treated as if none had been asked for.
            context.Connection.Sasl = null;
            return null;
        }
    }
}

/// <summary><c>isMaster</c> / <c>ismaster</c>: the legacy name of <see cref="HelloCommand"/>, answering <c>ismaster</c> instead of <c>isWritablePrimary</c>.</summary>
public sealed class IsMasterCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "isMaster";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["ismaster"];

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "Check if this server is primary for a replica set\n{ isMaster : 1 }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(HelloCommand.Build(context, legacyFields: true));
}
