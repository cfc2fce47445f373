using DistributedSync.Bson;

namespace DistributedSync.Mongo.Authentication;

/// <summary>
/// The shapes of MongoDB's SASL commands, as pure functions. The caller sends them to the
/// credential's source database (<c>$db</c>) and feeds the replies back through
/// <see cref="ParseReply"/>.
/// </summary>
public static class SaslCommands
{
    /// <summary>
    /// <c>{saslStart: 1, mechanism: &lt;name&gt;, payload: BinData(0, ...), options: {skipEmptyExchange: true}}</c>.
    /// </summary>
    public static BsonDocument CreateSaslStart(string mechanism, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(mechanism);
        return new BsonDocument(4)
            .Add("saslStart", 1)
            .Add("mechanism", mechanism)
            .Add("payload", new BsonBinaryData(payload))
            .Add("options", new BsonDocument("skipEmptyExchange", true));
    }

    /// <summary>
    /// The <c>speculativeAuthenticate</c> value for a <c>hello</c>: the saslStart command plus
    /// <c>db: &lt;source&gt;</c>. The server's <c>speculativeAuthenticate</c> reply then plays the
    /// role of the saslStart reply.
    /// </summary>
    public static BsonDocument CreateSpeculativeSaslStart(string mechanism, ReadOnlySpan<byte> payload, string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        return CreateSaslStart(mechanism, payload).Add("db", database);
    }

    /// <summary><c>{saslContinue: 1, conversationId: &lt;id&gt;, payload: BinData(0, ...)}</c>; the id is echoed as the server sent it.</summary>
    public static BsonDocument CreateSaslContinue(BsonValue conversationId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return new BsonDocument(3)
            .Add("saslContinue", 1)
            .Add("conversationId", conversationId)
            .Add("payload", new BsonBinaryData(payload));
    }

    /// <summary>
    /// Reads <c>{conversationId, payload, done}</c> from a saslStart/saslContinue reply. A reply with
    /// <c>ok: 0</c> becomes a <see cref="MongoAuthenticationException"/> carrying the server's message;
    /// a string payload is read as base64.
    /// </summary>
    /// <exception cref="MongoAuthenticationException">The reply reports failure or lacks a field.</exception>
    public static SaslReply ParseReply(BsonDocument reply, string mechanism)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.TryGetValue("ok", out var ok) && !ok.ToBoolean())
        {
            var message = reply.TryGetValue("errmsg", out var errmsg) && errmsg is BsonString s ? s.Value : "no error message";
            var code = reply.TryGetValue("code", out var c) && c.IsNumeric ? $" (code {c.ToInt64()})" : string.Empty;
            throw new MongoAuthenticationException(mechanism, $"the server rejected the conversation: {message}{code}.");
        }

        if (!reply.TryGetValue("conversationId", out var conversationId))
        {
            throw new MongoAuthenticationException(mechanism, "the server's reply has no conversationId.");
        }

        var done = reply.TryGetValue("done", out var d) && d.ToBoolean();
        ReadOnlyMemory<byte> payload = reply.GetValueOrDefault("payload") switch
        {
            BsonBinaryData binary => binary.Bytes,
            BsonString text => DecodeBase64(text.Value, mechanism),
            null => ReadOnlyMemory<byte>.Empty,
            var other => throw new MongoAuthenticationException(mechanism, $"the server's payload is a BSON {other.Type}, not binary data."),
        };
        return new SaslReply(conversationId, payload, done);
    }

    private static byte[] DecodeBase64(string text, string mechanism)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new MongoAuthenticationException(mechanism, "the server's string payload is not base64.", ex);
        }
    }
}

/// <summary>One parsed saslStart/saslContinue reply.</summary>
/// <param name="ConversationId">The id to echo in the next saslContinue.</param>
/// <param name="Payload">The mechanism bytes.</param>
/// <param name="Done">True when the server considers the conversation finished.</param>
public sealed record SaslReply(BsonValue ConversationId, ReadOnlyMemory<byte> Payload, bool Done);
