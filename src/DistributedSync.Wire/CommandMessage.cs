using DistributedSync.Bson;

namespace DistributedSync.Wire;

/// <summary>
/// Builds command requests as OP_MSG: the command document plus <c>$db</c> as the body, optional
/// kind-1 document sequences, and a fresh request id from <see cref="RequestIds"/>.
/// </summary>
public static class CommandMessage
{
    /// <summary>The body field naming the database a command runs against.</summary>
    public const string DatabaseField = "$db";

    /// <summary>
    /// Creates a command request. The body is a shallow copy of <paramref name="command"/> with
    /// <c>$db</c> appended; the caller's document is not modified.
    /// </summary>
    /// <exception cref="ArgumentException">The command is empty, has a different <c>$db</c>, a sequence
    /// identifier is also a body field, or two sequences share an identifier.</exception>
    public static OpMsgMessage Create(
        string database,
        BsonDocument command,
        IEnumerable<DocumentSequence>? sequences = null,
        OpMsgFlags flags = OpMsgFlags.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("A command document needs at least the command name field.", nameof(command));
        }

        var body = new BsonDocument(command.Count + 1);
        foreach (var element in command)
        {
            body.Add(element.Name, element.Value);
        }

        if (body.TryGetValue(DatabaseField, out var existing))
        {
            if (existing is not BsonString s || !string.Equals(s.Value, database, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The command already names a different database in '{DatabaseField}'.", nameof(command));
            }
        }
        else
        {
            body.Add(DatabaseField, database);
        }

        var message = new OpMsgMessage(body, sequences, flags) { RequestId = RequestIds.Next() };
        foreach (var sequence in message.Sequences)
        {
            if (body.Contains(sequence.Identifier))
            {
                throw new ArgumentException($"'{sequence.Identifier}' is both a body field and a document sequence.", nameof(sequences));
            }
        }

        return message;
    }

    /// <summary>
    /// Creates a command request with one document sequence, e.g.
    /// <c>Create("app", new BsonDocument("insert", "users"), "documents", docs)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">See <see cref="Create(string, BsonDocument, IEnumerable{DocumentSequence}?, OpMsgFlags)"/>.</exception>
    public static OpMsgMessage Create(
        string database,
        BsonDocument command,
        string identifier,
        IEnumerable<BsonDocument> documents,
        OpMsgFlags flags = OpMsgFlags.None)
        => Create(database, command, [new DocumentSequence(identifier, documents)], flags);
}
