using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary><c>saslStart</c>: the first SCRAM-SHA-1 / SCRAM-SHA-256 step (see <see cref="SaslAuthenticator"/>).</summary>
public sealed class SaslStartCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "saslStart";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "First step in a SASL authentication conversation.";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(SaslAuthenticator.Start(context.Server, context.Connection, context.DatabaseName, context.Command, speculative: false));
}

/// <summary><c>saslContinue</c>: the following SCRAM steps (see <see cref="SaslAuthenticator"/>).</summary>
public sealed class SaslContinueCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "saslContinue";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "Subsequent steps in a SASL authentication conversation.";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(SaslAuthenticator.Continue(context.Server, context.Connection, context.Command));
}

/// <summary><c>listCommands</c>: every registered command with its help and whether it needs authentication.</summary>
public sealed class ListCommandsCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "listCommands";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "get a list of all db commands";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var commands = new BsonDocument();
        foreach (var handler in context.Server.Dispatcher.Handlers.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            commands.Add(handler.Name, new BsonDocument
            {
                { "help", handler.Help },
                { "requiresAuth", handler.RequiresAuthentication },
                { "secondaryOk", true },
                { "adminOnly", handler.AdminOnly },
            });
        }

        return ValueTask.FromResult(new BsonDocument("commands", commands));
    }
}
