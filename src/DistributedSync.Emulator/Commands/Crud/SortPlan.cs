using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Sort;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// How a query orders its results: natural order (no sort or <c>{$natural: 1}</c>, streamed),
/// reverse natural order (<c>{$natural: -1}</c>), or a sort on fields (materialized; with a
/// limit only the best <c>skip + limit</c> documents are kept while scanning).
/// </summary>
internal sealed class SortPlan
{
    private SortPlan(SortSpec? spec, bool reverse)
    {
        Spec = spec;
        Reverse = reverse;
    }

    /// <summary>The field sort, or null for natural order.</summary>
    public SortSpec? Spec { get; }

    /// <summary>True for <c>{$natural: -1}</c>.</summary>
    public bool Reverse { get; }

    /// <summary>True when results come in natural order (no materialization needed).</summary>
    public bool IsNatural => Spec is null && !Reverse;

    /// <summary>Parses a sort specification (null or empty: natural order).</summary>
    public static SortPlan Parse(BsonDocument? sort)
    {
        if (sort is null || sort.Count == 0)
        {
            return new SortPlan(null, false);
        }

        if (sort.Contains("$natural"))
        {
            var direction = sort["$natural"];
            if (sort.Count != 1 || !direction.IsNumeric || Math.Abs(direction.ToDouble()) != 1)
            {
                throw new ServerErrorException(ErrorCodes.BadValue, "$natural sort cannot be set to a value other than -1 or 1");
            }

            return new SortPlan(null, direction.ToDouble() < 0);
        }

        return new SortPlan(SortSpec.Compile(sort), false);
    }

    /// <summary>
    /// Orders <paramref name="documents"/> and applies skip and limit. For a natural or reverse
    /// natural plan the documents must already come in that order (see
    /// <see cref="QuerySupport.Matching(Storage.ReadContext, Storage.CollectionInfo, Query.Filter.FilterMatcher, OperationDeadline, bool)"/>); for a field sort, in natural order.
    /// keeping at most <c>skip + limit</c> candidates in memory when a limit is set.
    /// </summary>
    public List<BsonDocument> Order(IEnumerable<BsonDocument> documents, long skip, long? limit)
    {
        ArgumentNullException.ThrowIfNull(documents);
        List<BsonDocument> ordered;
        if (Spec is null)
        {
            // Natural order needs no sorting: with a limit, read only skip + limit documents.
            ordered = limit is > 0 ? [.. documents.Take((int)Math.Min(skip + limit.Value, int.MaxValue))] : [.. documents];
        }
        else
        {
            ordered = TopK(Spec, documents, limit is > 0 ? skip + limit.Value : null);
        }

        IEnumerable<BsonDocument> result = ordered;
        if (skip > 0)
        {
            result = result.Skip((int)Math.Min(skip, int.MaxValue));
        }

        if (limit is > 0)
        {
            result = result.Take((int)Math.Min(limit.Value, int.MaxValue));
        }

        return [.. result];
    }

    // A stable sort keeping only the best k: candidates are trimmed to k whenever they reach 2k.
    private static List<BsonDocument> TopK(SortSpec spec, IEnumerable<BsonDocument> documents, long? k)
    {
        var keyed = new List<(BsonValue[] Key, long Order, BsonDocument Doc)>();
        long order = 0;
        int Compare((BsonValue[] Key, long Order, BsonDocument Doc) a, (BsonValue[] Key, long Order, BsonDocument Doc) b)
        {
            var c = spec.CompareKeys(a.Key, b.Key);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        }

        foreach (var doc in documents)
        {
            keyed.Add((spec.ExtractKey(doc), order++, doc));
            if (k is { } max && keyed.Count >= Math.Max(2 * max, 64))
            {
                keyed.Sort(Compare);
                keyed.RemoveRange((int)max, keyed.Count - (int)max);
            }
        }

        keyed.Sort(Compare);
        if (k is { } limit && keyed.Count > limit)
        {
            keyed.RemoveRange((int)limit, keyed.Count - (int)limit);
        }

        return keyed.ConvertAll(e => e.Doc);
    }
}
