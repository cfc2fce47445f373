using DistributedSync.Bson;

namespace DistributedSync.Wire;

/// <summary>
/// A legacy OP_QUERY. Servers since 6.0 accept it only for the connection handshake
/// (<c>hello</c>/<c>isMaster</c> against <c>admin.$cmd</c>), which drivers still send this way.
/// </summary>
public sealed class OpQueryMessage : WireMessage
{
    /// <summary>Creates a query of <paramref name="query"/> against <paramref name="fullCollectionName"/>.</summary>
    /// <exception cref="ArgumentException">The name contains a NUL character or an unpaired surrogate.</exception>
    public OpQueryMessage(string fullCollectionName, BsonDocument query)
    {
        WireStrings.ValidateCString(fullCollectionName, nameof(fullCollectionName));
        ArgumentNullException.ThrowIfNull(query);

        FullCollectionName = fullCollectionName;
        Query = query;
    }

    /// <inheritdoc />
    public override OpCode OpCode => OpCode.Query;

    /// <summary>The query flags; reserved bits are carried as received.</summary>
    public OpQueryFlags Flags { get; init; }

    /// <summary>The namespace, <c>database.collection</c> (e.g. <c>admin.$cmd</c>).</summary>
    public string FullCollectionName { get; }

    /// <summary>The part of <see cref="FullCollectionName"/> before the first dot.</summary>
    public string DatabaseName
    {
        get
        {
            var dot = FullCollectionName.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? FullCollectionName : FullCollectionName[..dot];
        }
    }

    /// <summary>The part of <see cref="FullCollectionName"/> after the first dot (empty without one).</summary>
    public string CollectionName
    {
        get
        {
            var dot = FullCollectionName.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? string.Empty : FullCollectionName[(dot + 1)..];
        }
    }

    /// <summary>How many documents to skip.</summary>
    public int NumberToSkip { get; init; }

    /// <summary>How many documents to return (for commands, -1 or 1).</summary>
    public int NumberToReturn { get; init; }

    /// <summary>The query (for <c>$cmd</c> collections, the command document).</summary>
    public BsonDocument Query { get; }

    /// <summary>The optional projection.</summary>
    public BsonDocument? ReturnFieldsSelector { get; init; }
}
