using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Admin;

/// <summary>
/// <c>connectionStatus</c>: who is authenticated on this connection
/// (<c>authInfo.authenticatedUsers</c> and <c>authenticatedUserRoles</c>); allowed before
/// authentication, as in mongod.
/// </summary>
public sealed class ConnectionStatusCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "connectionStatus";

    /// <inheritdoc />
    public bool RequiresAuthentication => false;

    /// <inheritdoc />
    public string Help => "Returns connection-specific information such as logged-in users and their roles";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var user = context.Connection.User;
        var users = new BsonArray();
        var roles = new BsonArray();
        if (user is not null)
        {
            users.Add(user.ToDocument());
            roles.AddRange(user.Roles);
        }

        var authInfo = new BsonDocument { { "authenticatedUsers", users }, { "authenticatedUserRoles", roles } };
        if (context.Command.GetValueOrDefault("showPrivileges")?.ToBoolean() == true)
        {
            var privileges = new BsonArray();
            if (user is not null)
            {
                privileges.Add(new BsonDocument
                {
                    { "resource", new BsonDocument("anyResource", true) },
                    { "actions", new BsonArray { "anyAction" } },
                });
            }

            authInfo.Add("authenticatedUserPrivileges", privileges);
        }

        return ValueTask.FromResult(new BsonDocument("authInfo", authInfo));
    }
}

/// <summary><c>logout</c>: ends the authentication of this connection (deprecated in mongod, still accepted).</summary>
public sealed class LogoutCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "logout";

    /// <inheritdoc />
    public string Help => "de-authenticate";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.Connection.User is { } user && string.Equals(user.Database, context.DatabaseName, StringComparison.Ordinal))
        {
            context.Connection.User = null;
        }

        context.Connection.Sasl = null;
        return ValueTask.FromResult(new BsonDocument());
    }
}
