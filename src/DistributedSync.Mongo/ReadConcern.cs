using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>A read concern level passed through to read commands (<c>readConcern: {level}</c>).</summary>
public sealed record ReadConcern
{
    /// <summary>Creates a read concern with a level such as <c>"local"</c> or <c>"majority"</c>.</summary>
    public ReadConcern(string level)
    {
        ArgumentException.ThrowIfNullOrEmpty(level);
        Level = level;
    }

    /// <summary><c>{level: "local"}</c>.</summary>
    public static ReadConcern Local { get; } = new("local");

    /// <summary><c>{level: "available"}</c>.</summary>
    public static ReadConcern Available { get; } = new("available");

    /// <summary><c>{level: "majority"}</c>.</summary>
    public static ReadConcern Majority { get; } = new("majority");

    /// <summary>The level.</summary>
    public string Level { get; }

    /// <summary>The <c>readConcern</c> document.</summary>
    public BsonDocument ToBsonDocument() => new("level", Level);

    /// <inheritdoc />
    public override string ToString() => Level;
}
