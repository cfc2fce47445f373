using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>The starting document of an upsert: the filter's equality conditions.</summary>
internal static class UpsertSeed
{
    /// <summary>One <c>path = value</c> condition of the filter.</summary>
    public readonly record struct Equality(string Path, BsonValue Value);

    /// <summary>
    /// The equalities at the top level of a filter and inside its <c>$and</c>s: implicit
    /// equality, <c>$eq</c>, and <c>$in</c> with a single value. Two conditions on the same
    /// path, or on a path and its prefix, are mongod's NotSingleValueField error.
    /// </summary>
    public static List<Equality> Extract(MatchNode root)
    {
        var found = new List<Equality>();
        Collect(root, found);
        for (var i = 0; i < found.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (found[i].Path, found[j].Path);
                if (a == b)
                {
                    throw new QueryException(QueryErrorCodes.NotSingleValueField, $"cannot infer query fields to set, path '{a}' is matched twice");
                }

                if (a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal))
                {
                    var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
                    throw new QueryException(QueryErrorCodes.NotSingleValueField, $"cannot infer query fields to set, both paths '{longer}' and '{shorter}' are matched");
                }
            }
        }

        found.Sort((x, y) => string.CompareOrdinal(x.Path, y.Path));
        return found;
    }

    /// <summary>A document holding the equalities (dotted paths become nested documents).</summary>
    public static BsonDocument Build(IEnumerable<Equality> equalities)
    {
        var doc = new BsonDocument();
        foreach (var (path, value) in equalities)
        {
            var slot = Slot.ForDocument(doc);
            foreach (var part in PathSupport.Split(path))
            {
                slot = slot.Child(part);
            }

            slot.Set(PathSupport.Clone(value));
        }

        return doc;
    }

    private static void Collect(MatchNode node, List<Equality> found)
    {
        switch (node)
        {
            case AndNode and:
                foreach (var child in and.Children)
                {
                    Collect(child, found);
                }

                break;
            case PathNode { Predicate: ComparisonPredicate { Op: CompareOp.Eq } eq } path when path.Path.Length > 0:
                found.Add(new Equality(string.Join('.', path.Path), eq.Operand));
                break;
            case PathNode { Predicate: InPredicate { IsPlainEquality: true, Values.Count: 1 } inPredicate } path when path.Path.Length > 0:
                found.Add(new Equality(string.Join('.', path.Path), inPredicate.Values[0]));
                break;
        }
    }
}
