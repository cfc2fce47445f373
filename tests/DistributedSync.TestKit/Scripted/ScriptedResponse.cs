using DistributedSync.Bson;

namespace DistributedSync.TestKit.Scripted;

/// <summary>What a <see cref="ScriptedMongoServer"/> does with a request: reply, misbehave, or both in turn.</summary>
public abstract class ScriptedResponse
{
    private protected ScriptedResponse()
    {
    }

    /// <summary>Replies with <paramref name="body"/> as given.</summary>
    public static ScriptedResponse Reply(BsonDocument body) => new ReplyResponse(body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>Replies <c>{...fields, ok: 1}</c>.</summary>
    public static ScriptedResponse Ok(BsonDocument? fields = null)
    {
        var body = fields is null ? new BsonDocument() : fields.DeepClone();
        body.Set("ok", 1.0);
        return new ReplyResponse(body);
    }

    /// <summary>Replies <c>{ok: 0, errmsg, code, codeName, errorLabels?}</c>.</summary>
    public static ScriptedResponse Error(int code, string codeName, string message, params string[] errorLabels)
    {
        var body = new BsonDocument { { "ok", 0.0 }, { "errmsg", message }, { "code", code }, { "codeName", codeName } };
        if (errorLabels is { Length: > 0 })
        {
            body.Add("errorLabels", new BsonArray(errorLabels.Select(l => (BsonValue)l)));
        }

        return new ReplyResponse(body);
    }

    /// <summary>Waits <paramref name="delay"/> (a slow server), then does <paramref name="then"/>.</summary>
    public static ScriptedResponse Delayed(TimeSpan delay, ScriptedResponse then) => new DelayedResponse(delay, then ?? throw new ArgumentNullException(nameof(then)));

    /// <summary>Closes the connection without replying.</summary>
    public static ScriptedResponse CloseConnection() => new CloseResponse();

    /// <summary>Sends the first half of the reply's bytes, then closes the connection.</summary>
    public static ScriptedResponse CloseMidReply(BsonDocument body) => new CloseMidReplyResponse(body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>Sends raw bytes instead of a reply (keeps the connection open).</summary>
    public static ScriptedResponse Garbage(byte[] bytes) => new GarbageResponse(bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <summary>Replies with <paramref name="body"/> but a <c>responseTo</c> that answers another request.</summary>
    public static ScriptedResponse WrongResponseTo(BsonDocument body) => new WrongResponseToResponse(body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>Never replies; the connection stays open until the client closes it or the server stops.</summary>
    public static ScriptedResponse Hang() => new HangResponse();

    internal sealed class ReplyResponse(BsonDocument body) : ScriptedResponse
    {
        public BsonDocument Body { get; } = body;
    }

    internal sealed class DelayedResponse(TimeSpan delay, ScriptedResponse then) : ScriptedResponse
    {
        public TimeSpan Delay { get; } = delay;

        public ScriptedResponse Then { get; } = then;
    }

    internal sealed class CloseResponse : ScriptedResponse;

    internal sealed class CloseMidReplyResponse(BsonDocument body) : ScriptedResponse
    {
        public BsonDocument Body { get; } = body;
    }

    internal sealed class GarbageResponse(byte[] bytes) : ScriptedResponse
    {
        public byte[] Bytes { get; } = bytes;
    }

    internal sealed class WrongResponseToResponse(BsonDocument body) : ScriptedResponse
    {
        public BsonDocument Body { get; } = body;
    }

    internal sealed class HangResponse : ScriptedResponse;
}
