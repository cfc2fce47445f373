using System.Diagnostics;
using DistributedSync.Bson;

namespace DistributedSync.Wire;

/// <summary>
/// A legacy OP_REPLY, the answer to an <see cref="OpQueryMessage"/>. <c>numberReturned</c> on the
/// wire is always the number of <see cref="Documents"/>.
/// </summary>
public sealed class OpReplyMessage : WireMessage
{
    /// <summary>Creates a reply carrying <paramref name="documents"/>.</summary>
    public OpReplyMessage(IEnumerable<BsonDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        BsonDocument[] copy = [.. documents];
        foreach (var d in copy)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(documents));
        }

        Documents = copy;
    }

    /// <summary>Creates a decoded reply without copying (the flag only distinguishes the overload).</summary>
    internal OpReplyMessage(IReadOnlyList<BsonDocument> documents, bool decoded)
    {
        Debug.Assert(decoded, "Only the decoder uses this constructor.");
        Documents = documents;
    }

    /// <inheritdoc />
    public override OpCode OpCode => OpCode.Reply;

    /// <summary>The response flags.</summary>
    public OpReplyFlags ResponseFlags { get; init; }

    /// <summary>The cursor to continue with, or 0 when there is none.</summary>
    public long CursorId { get; init; }

    /// <summary>The position of the first returned document within the cursor.</summary>
    public int StartingFrom { get; init; }

    /// <summary>The number of documents (the wire field <c>numberReturned</c>).</summary>
    public int NumberReturned => Documents.Count;

    /// <summary>The returned documents.</summary>
    public IReadOnlyList<BsonDocument> Documents { get; }

    /// <summary>
    /// A one-document reply to <paramref name="request"/> (its <c>responseTo</c> set), as a server
    /// answers a command sent with OP_QUERY. The request id comes from <see cref="RequestIds"/>.
    /// </summary>
    public static OpReplyMessage CreateReply(WireMessage request, BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(document);
        return new OpReplyMessage([document]) { ResponseTo = request.RequestId, RequestId = RequestIds.Next() };
    }
}
