using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// The <c>w</c> field of a write concern: a number of nodes (0 = unacknowledged), <c>"majority"</c>,
/// or a custom write-concern tag name.
/// </summary>
public sealed record WriteConcernW
{
    private WriteConcernW(int? count, string? tag)
    {
        Count = count;
        Tag = tag;
    }

    /// <summary><c>w: "majority"</c>.</summary>
    public static WriteConcernW Majority { get; } = new(null, "majority");

    /// <summary>The node count, or null for a string value.</summary>
    public int? Count { get; }

    /// <summary>The string value (<c>"majority"</c> or a tag name), or null for a count.</summary>
    public string? Tag { get; }

    /// <summary>True for <c>w: "majority"</c>.</summary>
    public bool IsMajority => Tag == "majority";

    /// <summary>True for <c>w: 0</c> (unacknowledged writes).</summary>
    public bool IsUnacknowledged => Count == 0;

    /// <summary>A node count (non-negative).</summary>
    public static WriteConcernW FromCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new WriteConcernW(count, null);
    }

    /// <summary>A string value: "majority" or a custom tag name.</summary>
    public static WriteConcernW FromTag(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return tag == "majority" ? Majority : new WriteConcernW(null, tag);
    }

    /// <summary>The value as it goes in a <c>writeConcern</c> document.</summary>
    public BsonValue ToBsonValue() => Count is int n ? BsonInt32.Create(n) : new BsonString(Tag!);

    /// <summary>The count or the tag.</summary>
    public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? Tag!;
}
