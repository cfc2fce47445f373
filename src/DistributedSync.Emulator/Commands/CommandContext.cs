using DistributedSync.Bson;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;
using DistributedSync.Wire;

namespace DistributedSync.Emulator.Commands;

/// <summary>
/// Everything a <see cref="ICommandHandler"/> needs for one request: the command, the database
/// it targets, the OP_MSG document sequences, the connection it came on, and the server's
/// shared state (storage, clock, log, per-server services).
/// </summary>
public sealed class CommandContext
{
    private static readonly IReadOnlyList<DocumentSequence> NoSequences = [];

    /// <summary>Creates a context (the server does this for every request; tests may too).</summary>
    /// <param name="databaseName">The target database (<c>$db</c>, or the OP_QUERY namespace's database).</param>
    /// <param name="command">The command body; its first field names the command.</param>
    /// <param name="sequences">The OP_MSG kind-1 sections, or null for none.</param>
    /// <param name="connection">The client connection.</param>
    /// <param name="server">The server's shared state.</param>
    /// <param name="isLegacyOpQuery">True when the command arrived as an OP_QUERY.</param>
    public CommandContext(
        string databaseName,
        BsonDocument command,
        IReadOnlyList<DocumentSequence>? sequences,
        ConnectionState connection,
        ServerState server,
        bool isLegacyOpQuery = false)
    {
        ArgumentNullException.ThrowIfNull(databaseName);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(server);
        DatabaseName = databaseName;
        Command = command;
        CommandName = command.Count > 0 ? command[0].Name : string.Empty;
        Sequences = sequences ?? NoSequences;
        Connection = connection;
        Server = server;
        IsLegacyOpQuery = isLegacyOpQuery;
    }

    /// <summary>The database the command targets.</summary>
    public string DatabaseName { get; }

    /// <summary>The command name exactly as sent (the first field's name; may be an alias).</summary>
    public string CommandName { get; }

    /// <summary>The value of the first field (e.g. the collection name of <c>find</c>).</summary>
    public BsonValue CommandValue => Command.Count > 0 ? Command[0].Value : BsonNull.Value;

    /// <summary>The command body as received, generic arguments (<c>$db</c>, <c>lsid</c>, ...) included.</summary>
    public BsonDocument Command { get; }

    /// <summary>The OP_MSG kind-1 document sequences (e.g. <c>documents</c> of <c>insert</c>), in wire order.</summary>
    public IReadOnlyList<DocumentSequence> Sequences { get; }

    /// <summary>True when the command arrived as a legacy OP_QUERY (only the handshake and auth do).</summary>
    public bool IsLegacyOpQuery { get; }

    /// <summary>The client connection (id, address, authenticated user).</summary>
    public ConnectionState Connection { get; }

    /// <summary>The server's shared state.</summary>
    public ServerState Server { get; }

    /// <summary>The node's storage.</summary>
    public StorageEngine Storage => Server.Storage;

    /// <summary>The server's clock (replaceable in tests).</summary>
    public TimeProvider Time => Server.Time;

    /// <summary>The server's mongod-style log.</summary>
    public ServerLog Log => Server.Log;

    /// <summary>The logical session id (<c>lsid</c>) the driver attached, or null.</summary>
    public BsonDocument? SessionId => Command.TryGetValue("lsid", out var lsid) ? lsid as BsonDocument : null;

    /// <summary>The kind-1 sequence named <paramref name="identifier"/>, or null.</summary>
    public DocumentSequence? GetSequence(string identifier)
    {
        foreach (var sequence in Sequences)
        {
            if (string.Equals(sequence.Identifier, identifier, StringComparison.Ordinal))
            {
                return sequence;
            }
        }

        return null;
    }

    /// <summary>
    /// The documents of an array argument that a driver may send either in the body (an array
    /// of documents) or as a kind-1 sequence of the same name, e.g. <c>documents</c>,
    /// <c>updates</c>, <c>deletes</c>. Returns null when neither is present. Throws
    /// <see cref="ServerErrorException"/> (TypeMismatch) when the body field is not an
    /// array of documents, and error 40433 when both forms are given, as mongod does.
    /// </summary>
    public IReadOnlyList<BsonDocument>? GetDocuments(string field)
    {
        var sequence = GetSequence(field);
        var inBody = Command.TryGetValue(field, out var value);
        if (sequence is not null)
        {
            if (inBody)
            {
                throw new ServerErrorException(ErrorCodes.DuplicateSequenceField, "Duplicate field between body and document sequence " + field);
            }

            return sequence.Documents;
        }

        if (!inBody)
        {
            return null;
        }

        if (value is not BsonArray array)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{CommandName}.{field}' is the wrong type '{TypeName(value!)}', expected type 'array'");
        }

        var documents = new List<BsonDocument>(array.Count);
        foreach (var item in array)
        {
            if (item is not BsonDocument document)
            {
                throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field '{CommandName}.{field}' contains an element of type '{TypeName(item)}', expected type 'object'");
            }

            documents.Add(document);
        }

        return documents;
    }

    /// <summary>
    /// Throws mongod's Unauthorized error unless the command targets <c>admin</c> (for commands
    /// that depend on an argument to decide, beyond <see cref="ICommandHandler.AdminOnly"/>).
    /// </summary>
    public void RequireAdminDatabase()
    {
        if (!string.Equals(DatabaseName, "admin", StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.Unauthorized, $"{CommandName} may only be run against the admin database.");
        }
    }

    /// <summary>mongod's name for the BSON type of <paramref name="value"/> (as in its error messages).</summary>
    public static string TypeName(BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Query.BsonText.TypeName(value.Type);
    }
}
