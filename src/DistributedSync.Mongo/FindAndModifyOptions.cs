using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>Which version of the document FindOneAndUpdate/Replace returns.</summary>
public enum ReturnDocument
{
    /// <summary>The document as it was before the change (the default).</summary>
    Before,

    /// <summary>The document as it is after the change (or the upserted one).</summary>
    After,
}

/// <summary>Options shared by the findAndModify-based operations.</summary>
public abstract record FindAndModifyOptionsBase
{
    /// <summary>Which document to pick when several match.</summary>
    public BsonDocument? Sort { get; init; }

    /// <summary>The fields of the returned document.</summary>
    public BsonDocument? Projection { get; init; }

    /// <summary>The server-side time limit.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>The index to use: its name (string) or key pattern (document).</summary>
    public BsonValue? Hint { get; init; }

    /// <summary>The collation.</summary>
    public BsonDocument? Collation { get; init; }

    /// <summary>Variables (<c>let</c>, MongoDB 5.0+).</summary>
    public BsonDocument? Let { get; init; }

    /// <summary>The write concern for this call; null uses the collection's.</summary>
    public WriteConcern? WriteConcern { get; init; }

    /// <summary>A comment recorded in the server's logs and profiler.</summary>
    public BsonValue? Comment { get; init; }
}

/// <summary>Options of FindOneAndUpdate.</summary>
public sealed record FindOneAndUpdateOptions : FindAndModifyOptionsBase
{
    /// <summary>Insert a document when none matches.</summary>
    public bool IsUpsert { get; init; }

    /// <summary>Return the document before (default) or after the update.</summary>
    public ReturnDocument ReturnDocument { get; init; }

    /// <summary>Which array elements positional <c>$[identifier]</c> updates apply to.</summary>
    public BsonArray? ArrayFilters { get; init; }

    /// <summary>Skip the collection's document validation.</summary>
    public bool? BypassDocumentValidation { get; init; }
}

/// <summary>Options of FindOneAndReplace.</summary>
public sealed record FindOneAndReplaceOptions : FindAndModifyOptionsBase
{
    /// <summary>Insert the replacement when none matches.</summary>
    public bool IsUpsert { get; init; }

    /// <summary>Return the document before (default) or after the replacement.</summary>
    public ReturnDocument ReturnDocument { get; init; }

    /// <summary>Skip the collection's document validation.</summary>
    public bool? BypassDocumentValidation { get; init; }
}

/// <summary>Options of FindOneAndDelete.</summary>
public sealed record FindOneAndDeleteOptions : FindAndModifyOptionsBase;
