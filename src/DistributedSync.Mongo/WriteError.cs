using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>
/// One statement of a write command that the server refused, e.g. a duplicate key (code 11000).
/// </summary>
/// <param name="Index">
/// The position of the failing document or statement in the caller's request (across all the
/// batches the client split the request into).
/// </param>
/// <param name="Code">The server's error code.</param>
/// <param name="CodeName">The server's name for the code, or empty when absent.</param>
/// <param name="Message">The server's <c>errmsg</c>.</param>
/// <param name="Details">The <c>errInfo</c> document, when present.</param>
public sealed record WriteError(int Index, int Code, string CodeName, string Message, BsonDocument? Details)
{
    /// <summary>Reads one element of a <c>writeErrors</c> array, shifting its index by <paramref name="offset"/>.</summary>
    internal static WriteError Parse(BsonDocument error, int offset)
        => new(
            (error.GetValueOrDefault("index") is { IsNumeric: true } i ? (int)i.ToInt64() : 0) + offset,
            error.GetValueOrDefault("code") is { IsNumeric: true } c ? (int)c.ToInt64() : 0,
            error.GetValueOrDefault("codeName") is BsonString n ? n.Value : string.Empty,
            error.GetValueOrDefault("errmsg") is BsonString m ? m.Value : string.Empty,
            error.GetValueOrDefault("errInfo") as BsonDocument);

    /// <inheritdoc />
    public override string ToString() => $"index {Index}: code {Code}{(CodeName.Length > 0 ? $" ({CodeName})" : string.Empty)}: {Message}";
}

/// <summary>
/// The write took effect on the server that received it, but the requested write concern was
/// not satisfied (for example a <c>wtimeout</c> expired).
/// </summary>
/// <param name="Code">The server's error code.</param>
/// <param name="CodeName">The server's name for the code, or empty when absent.</param>
/// <param name="Message">The server's <c>errmsg</c>.</param>
/// <param name="Details">The <c>errInfo</c> document, when present.</param>
public sealed record WriteConcernError(int Code, string CodeName, string Message, BsonDocument? Details)
{
    /// <summary>Reads a <c>writeConcernError</c> document.</summary>
    internal static WriteConcernError Parse(BsonDocument error)
        => new(
            error.GetValueOrDefault("code") is { IsNumeric: true } c ? (int)c.ToInt64() : 0,
            error.GetValueOrDefault("codeName") is BsonString n ? n.Value : string.Empty,
            error.GetValueOrDefault("errmsg") is BsonString m ? m.Value : string.Empty,
            error.GetValueOrDefault("errInfo") as BsonDocument);

    /// <inheritdoc />
    public override string ToString() => $"write concern error: code {Code}{(CodeName.Length > 0 ? $" ({CodeName})" : string.Empty)}: {Message}";
}
