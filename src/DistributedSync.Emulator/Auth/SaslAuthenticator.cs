using DistributedSync.Bson;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Auth;

/// <summary>
/// Runs <c>saslStart</c> / <c>saslContinue</c> (and hello's <c>speculativeAuthenticate</c>)
/// for SCRAM-SHA-1 and SCRAM-SHA-256 as mongod does: the conversation id is always 1, every
/// failed step answers only <c>AuthenticationFailed</c> "Authentication failed." (the reason is
/// logged), and a connection authenticates as at most one user.
/// </summary>
public static class SaslAuthenticator
{
    /// <summary>The reply body of a saslStart (without <c>ok</c>).</summary>
    /// <exception cref="ServerErrorException">The request is invalid or authentication failed.</exception>
    public static BsonDocument Start(ServerState server, ConnectionState connection, string database, BsonDocument command, bool speculative)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(command);
        var commandName = speculative ? "saslStart" : command.Count > 0 ? command[0].Name : "saslStart";
        if (command.GetValueOrDefault("mechanism") is not { } mechanismValue)
        {
            throw Missing(commandName, "mechanism");
        }

        if (mechanismValue is not BsonString mechanism)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{commandName}.mechanism' is the wrong type '{Commands.CommandContext.TypeName(mechanismValue)}', expected type 'string'");
        }

        var (payload, asString) = ReadPayload(command, commandName);
        var algorithm = ScramAlgorithm.FromMechanism(mechanism.Value)
            ?? throw new ServerErrorException(ErrorCodes.MechanismUnavailable, $"Received authentication for mechanism {mechanism.Value} which is unknown or not enabled");
        var skipEmptyExchange = command.GetValueOrDefault("options") is BsonDocument options
            && options.GetValueOrDefault("skipEmptyExchange") is { } skip && skip.ToBoolean();
        var conversation = new ScramServerConversation(algorithm, database, skipEmptyExchange, speculative, server.Users.Find);
        connection.Sasl = conversation;
        return Step(server, connection, conversation, payload, asString);
    }

    /// <summary>The reply body of a saslContinue (without <c>ok</c>).</summary>
    /// <exception cref="ServerErrorException">No conversation is open, the id does not match, or authentication failed.</exception>
    public static BsonDocument Continue(ServerState server, ConnectionState connection, BsonDocument command)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(command);
        if (command.GetValueOrDefault("conversationId") is not { IsNumeric: true } id)
        {
            throw Missing("saslContinue", "conversationId");
        }

        var (payload, asString) = ReadPayload(command, "saslContinue");
        var conversation = connection.Sasl
            ?? throw new ServerErrorException(ErrorCodes.ProtocolError, "No SASL session state found");
        if (id.ToDouble() != 1)
        {
            throw new ServerErrorException(ErrorCodes.ProtocolError, "sasl: Mismatched conversation id");
        }

        return Step(server, connection, conversation, payload, asString);
    }

    private static BsonDocument Step(ServerState server, ConnectionState connection, ScramServerConversation conversation, byte[] payload, bool asString)
    {
        byte[] response;
        try
        {
            response = conversation.Step(payload);
        }
        catch (ScramFailureException ex)
        {
            connection.Sasl = null;
            server.Log.Info("ACCESS", 20249, connection.Name, "Authentication failed", Attributes(connection, conversation, ex.Message));
            throw new ServerErrorException(ErrorCodes.AuthenticationFailed, "Authentication failed.");
        }

        if (conversation.IsSuccess)
        {
            connection.Sasl = null;
            var user = conversation.User!;
            if (connection.User is { } current && (current.Name != user.Name || current.Database != user.Database))
            {
                throw new ServerErrorException(5626701, $"Each client connection may only be authenticated once. Previously authenticated as: {current}");
            }

            connection.User = new AuthenticatedUser(user.Name, user.Database, user.Roles);
            if (!server.Log.Quiet)
            {
                server.Log.Info("ACCESS", 20250, connection.Name, "Authentication succeeded", Attributes(connection, conversation, null));
            }
        }

        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", conversation.IsDone },
            { "payload", asString ? new BsonString(Convert.ToBase64String(response)) : new BsonBinaryData(response) },
        };
    }

    private static (byte[] Payload, bool AsString) ReadPayload(BsonDocument command, string commandName)
    {
        switch (command.GetValueOrDefault("payload"))
        {
            case BsonBinaryData binary:
                return (binary.Bytes.ToArray(), false);
            case BsonString text:
                try
                {
                    return (Convert.FromBase64String(text.Value), true);
                }
                catch (FormatException)
                {
                    throw new ServerErrorException(ErrorCodes.BadValue, $"Invalid base64 in '{commandName}.payload'");
                }

            case null:
                throw Missing(commandName, "payload");
            case var other:
                throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{commandName}.payload' is the wrong type '{Commands.CommandContext.TypeName(other)}', expected types '[string, binData]'");
        }
    }

    private static ServerErrorException Missing(string command, string field)
        => new(ErrorCodes.IdlMissingField, $"BSON field '{command}.{field}' is missing but a required field");

    private static BsonDocument Attributes(ConnectionState connection, ScramServerConversation conversation, string? error)
    {
        var attributes = new BsonDocument
        {
            { "mechanism", conversation.Algorithm.Mechanism },
            { "speculative", conversation.Speculative },
            { "principalName", conversation.UserName },
            { "authenticationDatabase", conversation.Database },
            { "remote", connection.RemoteAddress },
            { "extraInfo", new BsonDocument() },
        };
        if (error is not null)
        {
            attributes.Add("error", "AuthenticationFailed: " + error);
        }

        return attributes;
    }
}
