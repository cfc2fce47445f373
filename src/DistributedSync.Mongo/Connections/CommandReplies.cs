using DistributedSync.Bson;

namespace DistributedSync.Mongo.Connections;

/// <summary>Reading the common fields of command replies.</summary>
internal static class CommandReplies
{
    /// <summary>Server error codes that mean the server is shutting down; its pool is cleared.</summary>
    private static readonly int[] ShutdownCodes = [11600 /* InterruptedAtShutdown */, 91 /* ShutdownInProgress */];

    /// <summary>True when the reply's <c>ok</c> is 1 (or true).</summary>
    public static bool IsOk(BsonDocument reply)
        => reply.GetValueOrDefault("ok") is { } ok && (ok.IsNumeric ? ok.ToDouble() == 1 : ok.ToBoolean());

    /// <summary>Throws the <see cref="MongoCommandException"/> a failed reply stands for.</summary>
    public static BsonDocument EnsureOk(string commandName, BsonDocument reply)
        => IsOk(reply) ? reply : throw MongoCommandException.FromReply(commandName, reply);

    /// <summary>True for the codes of a server that is shutting down.</summary>
    public static bool IsShutdownError(int code) => Array.IndexOf(ShutdownCodes, code) >= 0;

    /// <summary>Throws <see cref="MongoWriteConcernException"/> when an <c>ok: 1</c> reply carries a <c>writeConcernError</c>.</summary>
    public static void ThrowOnWriteConcernError(string commandName, BsonDocument reply)
    {
        if (reply.GetValueOrDefault("writeConcernError") is BsonDocument wce)
        {
            var labels = MongoCommandException.ReadLabels(reply).Concat(MongoCommandException.ReadLabels(wce));
            throw new MongoWriteConcernException(commandName, WriteConcernError.Parse(wce), reply, labels);
        }
    }
}
