using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>Whether a find cursor ends at the last document or waits for more (capped collections).</summary>
public enum CursorType
{
    /// <summary>An ordinary cursor.</summary>
    NonTailable,

    /// <summary>Stays open at the end of a capped collection; getMore returns at once.</summary>
    Tailable,

    /// <summary>Stays open, and getMore waits up to <c>maxAwaitTimeMS</c> for new documents.</summary>
    TailableAwait,
}

/// <summary>Options shared by every read.</summary>
public abstract record ReadOptionsBase
{
    /// <summary>The server-side time limit (<c>maxTimeMS</c>).</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>The read concern for this call; null uses the collection's.</summary>
    public ReadConcern? ReadConcern { get; init; }

    /// <summary>The collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>A comment recorded in the server's logs and profiler.</summary>
    public BsonValue? Comment { get; init; }
}

/// <summary>Options of Find.</summary>
public sealed record FindOptions : ReadOptionsBase
{
    /// <summary>The sort specification, e.g. <c>{ts: 1}</c>.</summary>
    public BsonDocument? Sort { get; init; }

    /// <summary>The projection, e.g. <c>{_id: 0, name: 1}</c>.</summary>
    public BsonDocument? Projection { get; init; }

    /// <summary>Documents to skip.</summary>
    public int? Skip { get; init; }

    /// <summary>The most documents to return (0 or null for no limit).</summary>
    public int? Limit { get; init; }

    /// <summary>Documents per batch (first batch and getMore).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Return only the first batch and close the cursor.</summary>
    public bool SingleBatch { get; init; }

    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Tailable or tailable-await (capped collections only).</summary>
    public CursorType CursorType { get; init; }

    /// <summary>For <see cref="CursorType.TailableAwait"/>: how long each getMore waits for new data.</summary>
    public TimeSpan? MaxAwaitTime { get; init; }

    /// <summary>Keep the cursor open beyond the server's idle cursor timeout.</summary>
    public bool NoCursorTimeout { get; init; }

    /// <summary>Allow the server to use temporary files for large sorts.</summary>
    public bool? AllowDiskUse { get; init; }

    /// <summary>Variables for the filter (<c>let</c>, MongoDB 5.0+).</summary>
    public BsonDocument? Let { get; init; }
}

/// <summary>Options of Aggregate.</summary>
public sealed record AggregateOptions : ReadOptionsBase
{
    /// <summary>Documents per batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Allow the server to use temporary files.</summary>
    public bool? AllowDiskUse { get; init; }

    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>Variables for the pipeline (<c>let</c>).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>Skip document validation for <c>$out</c>/<c>$merge</c>.</summary>
    public bool? BypassDocumentValidation { get; init; }

    /// <summary>The write concern for pipelines that end in <c>$out</c>/<c>$merge</c>.</summary>
    public WriteConcern? WriteConcern { get; init; }
}

/// <summary>Options of CountDocuments.</summary>
public sealed record CountOptions : ReadOptionsBase
{
    /// <summary>Documents to skip before counting.</summary>
    public long? Skip { get; init; }

    /// <summary>The most documents to count.</summary>
    public long? Limit { get; init; }

    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }
}

/// <summary>Options of EstimatedDocumentCount and Distinct.</summary>
public sealed record DistinctOptions : ReadOptionsBase;
