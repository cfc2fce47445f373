using DistributedSync.Bson;

namespace DistributedSync.Replication.Oplog;

/// <summary>
/// The position of an oplog entry: the election term it was written in and its index. Indexes
/// grow by one per entry and keep growing across terms (a new master continues after its last
/// index), so within one history an index names at most one entry. Positions compare
/// lexicographically: first by <see cref="Term"/>, then by <see cref="Index"/>. That is the
/// "more recent" order used by elections: a log whose last entry is from a later term is more
/// recent than any log whose last entry is from an earlier term, however long that one is.
/// <see cref="Zero"/> (term 0, index 0) is the position of an empty oplog and sorts first.
/// </summary>
/// <param name="Term">The election term the entry was written in (0 only for <see cref="Zero"/>).</param>
/// <param name="Index">The entry's index (0 only for <see cref="Zero"/>).</param>
public readonly record struct OpPosition(long Term, long Index) : IComparable<OpPosition>
{
    /// <summary>The position of an empty oplog; every real position is greater.</summary>
    public static OpPosition Zero => default;

    /// <summary>True for <see cref="Zero"/>.</summary>
    public bool IsZero => Term == 0 && Index == 0;

    /// <summary>Lexicographic order: term first, then index.</summary>
    public int CompareTo(OpPosition other)
    {
        var byTerm = Term.CompareTo(other.Term);
        return byTerm != 0 ? byTerm : Index.CompareTo(other.Index);
    }

    /// <summary>The greater of two positions.</summary>
    public static OpPosition Max(OpPosition left, OpPosition right) => left >= right ? left : right;

    /// <summary>The smaller of two positions.</summary>
    public static OpPosition Min(OpPosition left, OpPosition right) => left <= right ? left : right;

    /// <summary>Lexicographically earlier.</summary>
    public static bool operator <(OpPosition left, OpPosition right) => left.CompareTo(right) < 0;

    /// <summary>Lexicographically later.</summary>
    public static bool operator >(OpPosition left, OpPosition right) => left.CompareTo(right) > 0;

    /// <summary>Earlier or equal.</summary>
    public static bool operator <=(OpPosition left, OpPosition right) => left.CompareTo(right) <= 0;

    /// <summary>Later or equal.</summary>
    public static bool operator >=(OpPosition left, OpPosition right) => left.CompareTo(right) >= 0;

    /// <summary>The BSON form <c>{ t: Int64, i: Int64 }</c> used in metadata documents.</summary>
    public BsonDocument ToBsonDocument() => new BsonDocument(2).Add("t", Term).Add("i", Index);

    /// <summary>Reads <c>{ t, i }</c>; any numeric type is accepted for either field.</summary>
    /// <exception cref="FormatException">A field is missing or not numeric.</exception>
    public static OpPosition FromBsonDocument(BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new OpPosition(ReadLong(document, "t"), ReadLong(document, "i"));
    }

    /// <summary>"(term, index)".</summary>
    public override string ToString() => $"({Term}, {Index})";

    internal static long ReadLong(BsonDocument document, string name)
    {
        if (!document.TryGetValue(name, out var value) || !value.IsNumeric)
        {
            throw new FormatException($"The field '{name}' is missing or not a number in {document}.");
        }

        return value.ToInt64();
    }
}
