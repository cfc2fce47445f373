using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>Per-document inputs of an update.</summary>
internal sealed class UpdateContext
{
    /// <summary>True when the update builds an upserted document ($setOnInsert applies, _id may be set).</summary>
    public bool IsInsert { get; init; }

    /// <summary>
    /// The array position the filter matched (from <c>FilterMatcher.Matches(doc, out offset)</c>),
    /// which the positional <c>$</c> operator addresses; -1 when unknown.
    /// </summary>
    public int MatchedArrayOffset { get; init; } = -1;

    /// <summary>The wall-clock time for <c>$currentDate</c> (date form), in milliseconds since the epoch.</summary>
    public long NowMilliseconds { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The timestamp for <c>$currentDate</c> with <c>{$type: "timestamp"}</c>; defaults to (now, 1).</summary>
    public BsonTimestamp? Timestamp { get; init; }

    internal BsonDocument Document { get; set; } = [];

    internal BsonTimestamp CurrentTimestamp
        => Timestamp ?? new BsonTimestamp((uint)Math.Clamp(NowMilliseconds / 1000, 0, uint.MaxValue), 1);
}
