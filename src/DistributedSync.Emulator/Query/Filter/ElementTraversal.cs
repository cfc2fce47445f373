using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>
/// Generates the values a dotted path reaches inside a document exactly as mongod's matcher
/// does (BSONElementIterator), and tests each with a predicate until one passes:
/// <list type="bullet">
/// <item>Documents are walked field by field; a missing field or a scalar in the middle of the
/// path yields a single "missing" value (null here), which is what lets <c>{a: null}</c> match
/// documents without <c>a</c>.</item>
/// <item>An array in the middle of the path is traversed: every document element is walked with
/// the rest of the path (yielding "missing" where it lacks the field); non-document elements are
/// skipped. When the next component is a canonical array index, the element at that index is
/// also walked (or yielded, when the index is the last component).</item>
/// <item>An array at the end of the path yields each of its elements and then the array itself,
/// unless the predicate works on whole arrays (<c>$size</c>, <c>$elemMatch</c>), which see only
/// the array.</item>
/// </list>
/// </summary>
internal static class ElementTraversal
{
    /// <summary>
    /// True when some value reached by <paramref name="path"/> satisfies the predicate.
    /// <paramref name="arrayOffset"/> receives the index in the outermost implicitly traversed
    /// array of the element that matched (or stays -1).
    /// </summary>
    public static bool Any(BsonDocument doc, string[] path, LeafPredicate predicate, ref int arrayOffset)
        => FromDocument(doc, path, 0, predicate, ref arrayOffset);

    private static bool FromDocument(BsonDocument doc, string[] path, int index, LeafPredicate p, ref int offset)
    {
        BsonValue current = doc;
        for (var i = index; ; i++)
        {
            if (current is not BsonDocument d || !d.TryGetValue(path[i], out var value))
            {
                return p.Test(null, ref offset);
            }

            if (value is BsonArray array)
            {
                return FromArray(array, path, i + 1, p, ref offset);
            }

            if (i == path.Length - 1)
            {
                return p.Test(value, ref offset);
            }

            current = value;
        }
    }

    private static bool FromArray(BsonArray array, string[] path, int next, LeafPredicate p, ref int offset)
    {
        if (next == path.Length)
        {
            return FromLeafArray(array, p, ref offset);
        }

        var piece = path[next];
        var pieceIsLast = next == path.Length - 1;
        var pieceIsIndex = PathSupport.TryParseIndex(piece, out var pieceIndex) && PathSupport.IsOffsetMatch(piece, pieceIndex);
        for (var k = 0; k < array.Count; k++)
        {
            var element = array[k];
            var inner = -1;
            var offsetMatch = pieceIsIndex && k == pieceIndex;
            if (element is BsonDocument elementDoc)
            {
                if (FromDocument(elementDoc, path, next, p, ref inner))
                {
                    offset = k;
                    return true;
                }

                if (offsetMatch)
                {
                    inner = -1;
                    if (pieceIsLast ? p.Test(element, ref inner) : FromDocument(elementDoc, path, next + 1, p, ref inner))
                    {
                        offset = inner;
                        return true;
                    }
                }
            }
            else if (offsetMatch)
            {
                if (pieceIsLast)
                {
                    if (p.Test(element, ref inner))
                    {
                        return true;
                    }
                }
                else if (element is BsonArray nested && FromArray(nested, path, next + 1, p, ref inner))
                {
                    offset = inner;
                    return true;
                }
            }
        }

        return false;
    }

    private static bool FromLeafArray(BsonArray array, LeafPredicate p, ref int offset)
    {
        if (!p.TraversesLeafArrays)
        {
            return p.Test(array, ref offset);
        }

        for (var k = 0; k < array.Count; k++)
        {
            var ignored = -1;
            if (p.Test(array[k], ref ignored))
            {
                offset = k;
                return true;
            }
        }

        var whole = -1;
        return p.Test(array, ref whole);
    }
}
