namespace DistributedSync.Daemon.Engine;

/// <summary>A position in the oplog: the term that wrote the entry and its index; shown as <c>{t, i}</c>.</summary>
/// <param name="Term">The election term.</param>
/// <param name="Index">The entry's sequence number.</param>
public readonly record struct OplogPosition(long Term, long Index) : IComparable<OplogPosition>
{
    /// <summary>Before any entry.</summary>
    public static OplogPosition Zero => default;

    /// <inheritdoc />
    public int CompareTo(OplogPosition other)
        => Term != other.Term ? Term.CompareTo(other.Term) : Index.CompareTo(other.Index);

    /// <summary>Orders by term, then index.</summary>
    public static bool operator <(OplogPosition left, OplogPosition right) => left.CompareTo(right) < 0;

    /// <summary>Orders by term, then index.</summary>
    public static bool operator >(OplogPosition left, OplogPosition right) => left.CompareTo(right) > 0;

    /// <summary>Orders by term, then index.</summary>
    public static bool operator <=(OplogPosition left, OplogPosition right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by term, then index.</summary>
    public static bool operator >=(OplogPosition left, OplogPosition right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => $"{Term}:{Index}";
}
