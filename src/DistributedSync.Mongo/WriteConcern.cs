using DistributedSync.Bson;

namespace DistributedSync.Mongo;

/// <summary>
/// How much acknowledgement a write waits for: <c>w</c> (a node count or a tag such as
/// <c>"majority"</c>), <c>wtimeout</c> and <c>j</c> (journaled). Omitted parts take the
/// server's defaults. Immutable.
/// </summary>
public sealed record WriteConcern
{
    /// <summary>No explicit write concern: the server's default applies (nothing is sent).</summary>
    public static WriteConcern ServerDefault { get; } = new();

    /// <summary><c>{w: 1}</c>: acknowledged by the receiving server.</summary>
    public static WriteConcern Acknowledged { get; } = new() { W = 1 };

    /// <summary><c>{w: 0}</c>: not acknowledged. The client still reads the reply of an OP_MSG command.</summary>
    public static WriteConcern Unacknowledged { get; } = new() { W = 0 };

    /// <summary><c>{w: "majority"}</c>.</summary>
    public static WriteConcern Majority { get; } = new() { WMode = "majority" };

    /// <summary>A node count for <c>w</c>, or null.</summary>
    public int? W
    {
        get;
        init => field = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "w must not be negative.");
    }

    /// <summary>A mode or tag-set name for <c>w</c> (e.g. <c>"majority"</c>), or null. Takes precedence over <see cref="W"/>.</summary>
    public string? WMode { get; init; }

    /// <summary>The <c>wtimeout</c>, or null.</summary>
    public TimeSpan? WTimeout
    {
        get;
        init => field = value is null || value.Value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "wtimeout must not be negative.");
    }

    /// <summary>The <c>j</c> flag, or null.</summary>
    public bool? Journal { get; init; }

    /// <summary>True when nothing is set (the server's default applies).</summary>
    public bool IsServerDefault => W is null && WMode is null && WTimeout is null && Journal is null;

    /// <summary>The <c>writeConcern</c> document, or null for <see cref="ServerDefault"/>.</summary>
    public BsonDocument? ToBsonDocument()
    {
        if (IsServerDefault)
        {
            return null;
        }

        var doc = new BsonDocument();
        if (WMode is not null)
        {
            doc.Add("w", WMode);
        }
        else if (W is int w)
        {
            doc.Add("w", w);
        }

        if (Journal is bool j)
        {
            doc.Add("j", j);
        }

        if (WTimeout is TimeSpan t)
        {
            doc.Add("wtimeout", (long)t.TotalMilliseconds);
        }

        return doc;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsServerDefault)
        {
            return "{}";
        }

        var parts = new List<string>(3);
        if (WMode is not null)
        {
            parts.Add($"w: \"{WMode}\"");
        }
        else if (W is int w)
        {
            parts.Add($"w: {w}");
        }

        if (Journal is bool j)
        {
            parts.Add(j ? "j: true" : "j: false");
        }

        if (WTimeout is TimeSpan t)
        {
            parts.Add($"wtimeout: {(long)t.TotalMilliseconds}");
        }

        return "{ " + string.Join(", ", parts) + " }";
    }
}
