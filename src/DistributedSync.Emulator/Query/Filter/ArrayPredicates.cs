using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>
/// <c>$elemMatch</c> with a query document: some element of the array is a document (or an
/// array, seen as a document keyed "0", "1", ...) matching the whole sub-filter.
/// </summary>
internal sealed class ElemMatchObjectPredicate(MatchNode filter) : LeafPredicate
{
    public override bool TraversesLeafArrays => false;

    public override bool Test(BsonValue? value)
    {
        var ignored = -1;
        return Test(value, ref ignored);
    }

    public override bool Test(BsonValue? value, ref int arrayOffset)
    {
        if (value is not BsonArray array)
        {
            return false;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var doc = array[i] switch
            {
                BsonDocument d => d,
                BsonArray a => AsDocument(a),
                _ => null,
            };
            if (doc is not null && filter.Matches(doc, null))
            {
                arrayOffset = i;
                return true;
            }
        }

        return false;
    }

    internal static BsonDocument AsDocument(BsonArray array)
    {
        var doc = new BsonDocument(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            doc.Add(i.ToString(CultureInfo.InvariantCulture), array[i]);
        }

        return doc;
    }
}

/// <summary>
/// <c>$elemMatch</c> with operators only (<c>{$gte: 80, $lt: 85}</c>): some element of the array
/// satisfies every operator itself (nested arrays are not expanded).
/// </summary>
internal sealed class ElemMatchValuePredicate(MatchNode conditions) : LeafPredicate
{
    public override bool TraversesLeafArrays => false;

    public override bool Test(BsonValue? value)
    {
        var ignored = -1;
        return Test(value, ref ignored);
    }

    public override bool Test(BsonValue? value, ref int arrayOffset)
    {
        if (value is not BsonArray array)
        {
            return false;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (conditions.MatchesElement(array[i]))
            {
                arrayOffset = i;
                return true;
            }
        }

        return false;
    }
}
