using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// The first exchange on every connection: a <c>hello</c> command (sent as OP_MSG to
/// <c>admin</c>) carrying the client metadata, and the checks made on the reply.
/// </summary>
internal static class Handshake
{
    /// <summary>The oldest wire version the client speaks: 6 (MongoDB 3.6, where OP_MSG began).</summary>
    public const int MinSupportedWireVersion = 6;

    /// <summary>The newest wire version the client knows of (MongoDB 8.x).</summary>
    public const int MaxSupportedWireVersion = 28;

    /// <summary>The database the handshake runs against.</summary>
    public const string Database = "admin";

    /// <summary>Builds the <c>hello</c> command.</summary>
    public static BsonDocument CreateHelloCommand(BsonDocument clientMetadata, MongoCredential? credential)
    {
        var command = new BsonDocument
        {
            { "hello", 1 },
            { "helloOk", true },
            { "client", clientMetadata },
        };

        // Ask which SCRAM variants the user has, so negotiation can pick SHA-256 when available.
        if (credential is { Mechanism: null, Username: { } user })
        {
            command.Add("saslSupportedMechs", credential.Source + "." + user);
        }

        return command;
    }

    /// <summary>Refuses a server whose wire versions do not overlap the client's.</summary>
    /// <exception cref="MongoClientException">The server is too old or too new.</exception>
    public static void CheckCompatibility(ServerDescription description)
    {
        if (description.MaxWireVersion < MinSupportedWireVersion)
        {
            throw new MongoClientException(
                $"The server at {description.Endpoint} speaks wire versions up to {description.MaxWireVersion}, but this client needs at least {MinSupportedWireVersion} (MongoDB 3.6; 6.0 or later is supported).");
        }

        if (description.MinWireVersion > MaxSupportedWireVersion)
        {
            throw new MongoClientException(
                $"The server at {description.Endpoint} requires wire version {description.MinWireVersion} or later, but this client speaks at most {MaxSupportedWireVersion}.");
        }
    }
}
