using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>Options shared by every write.</summary>
public abstract record WriteOptionsBase
{
    /// <summary>The write concern for this call; null uses the collection's.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>A comment recorded in the server's logs and profiler (MongoDB 4.4+).</summary>
    public BsonValue? Comment { get; init; }
}

/// <summary>Options of InsertOne.</summary>
public sealed record InsertOneOptions : WriteOptionsBase
{
    /// <summary>Skip the collection's document validation.</summary>
    public bool? BypassDocumentValidation { get; init; }
}

/// <summary>Options of InsertMany.</summary>
public sealed record InsertManyOptions : WriteOptionsBase
{
    /// <summary>True (the default): stop at the first failing document. False: attempt every document.</summary>
    public bool IsOrdered { get; init; } = true;

    /// <summary>Skip the collection's document validation.</summary>
    public bool? BypassDocumentValidation { get; init; }
}

/// <summary>Options of UpdateOne, UpdateMany and ReplaceOne.</summary>
public sealed record UpdateOptions : WriteOptionsBase
{
    /// <summary>Insert a document when none matches.</summary>
    public bool IsUpsert { get; init; }

    /// <summary>Which array elements positional <c>$[identifier]</c> updates apply to.</summary>
    public BsonArray? ArrayFilters { get; init; }

    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>The collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Variables for the filter and pipeline (<c>let</c>, MongoDB 5.0+).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>Skip the collection's document validation.</summary>
    public bool? BypassDocumentValidation { get; init; }
}

/// <summary>Options of DeleteOne and DeleteMany.</summary>
public sealed record DeleteOptions : WriteOptionsBase
{
    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>The collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Variables for the filter (<c>let</c>, MongoDB 5.0+).</summary>
    public BsonDocument? Let { get; init; }
}
