using DistributedSync.Bson;
using DistributedSync.Wire;

namespace DistributedSync.TestKit.Scripted;

/// <summary>One command a <see cref="ScriptedMongoServer"/> received.</summary>
public sealed class ScriptedRequest
{
    internal ScriptedRequest(long connectionId, int sequenceOnConnection, OpMsgMessage message)
    {
        ConnectionId = connectionId;
        SequenceOnConnection = sequenceOnConnection;
        Message = message;
        Body = message.Body;
        CommandName = Body.Count > 0 ? Body[0].Name : string.Empty;
        Database = Body.GetValueOrDefault("$db") is BsonString db ? db.Value : string.Empty;
    }

    /// <summary>The server-side number of the connection it arrived on (1, 2, ... in accept order).</summary>
    public long ConnectionId { get; }

    /// <summary>Its position among the commands of its connection (1 for the first, normally <c>hello</c>).</summary>
    public int SequenceOnConnection { get; }

    /// <summary>The whole message.</summary>
    public OpMsgMessage Message { get; }

    /// <summary>The body (section kind 0), <c>$db</c> included.</summary>
    public BsonDocument Body { get; }

    /// <summary>The command name: the body's first field.</summary>
    public string CommandName { get; }

    /// <summary>The <c>$db</c> value.</summary>
    public string Database { get; }

    /// <summary>The documents of the kind-1 section <paramref name="identifier"/>, or an empty list.</summary>
    public IReadOnlyList<BsonDocument> Sequence(string identifier)
        => Message.GetSequence(identifier)?.Documents ?? [];

    /// <inheritdoc />
    public override string ToString() => $"#{ConnectionId}.{SequenceOnConnection} {CommandName} on {Database}";
}
