using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary><c>$addToSet</c> (optionally with <c>$each</c>): appends the values not already present.</summary>
internal sealed class AddToSetModifier : ModifierNode
{
    private readonly List<BsonValue> _values = [];

    public AddToSetModifier(BsonValue operand)
    {
        IEnumerable<BsonValue> values = [operand];
        if (operand is BsonDocument spec && spec.Count > 0 && spec[0].Name == "$each")
        {
            if (spec.Count > 1)
            {
                throw QueryException.BadValue($"Found unexpected fields after $each in $addToSet: {BsonText.Value(spec)}");
            }

            values = spec[0].Value as BsonArray
                ?? throw QueryException.TypeMismatch($"The argument to $each in $addToSet must be an array but it was of type {BsonText.TypeName(spec[0].Value.Type)}");
        }

        var seen = new HashSet<BsonValue>(BsonValueComparer.Instance);
        foreach (var v in values)
        {
            if (seen.Add(v))
            {
                _values.Add(v);
            }
        }
    }

    public override string Operator => "$addToSet";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        if (slot.Current is not BsonArray array)
        {
            throw QueryException.BadValue(
                $"Cannot apply $addToSet to non-array field. Field named '{slot.Key}' has non-array type {BsonText.TypeName(slot.Current!.Type)}");
        }

        var present = new HashSet<BsonValue>(array, BsonValueComparer.Instance);
        var changed = false;
        foreach (var v in _values)
        {
            if (present.Add(v))
            {
                array.Add(PathSupport.Clone(v));
                changed = true;
            }
        }

        return changed;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context)
    {
        slot.Set(new BsonArray(_values.Select(PathSupport.Clone)));
        return true;
    }
}

/// <summary><c>$pop</c>: removes the first (-1) or last (1) element.</summary>
internal sealed class PopModifier : ModifierNode
{
    private readonly bool _first;

    public PopModifier(string field, BsonValue operand)
    {
        if (!operand.IsNumeric)
        {
            throw QueryException.FailedToParse($"Expected a number in: {BsonText.Element(field, operand)}");
        }

        var d = operand.ToDouble();
        if (d is not (1 or -1))
        {
            throw QueryException.FailedToParse($"$pop expects 1 or -1, found: {BsonText.Value(operand)}");
        }

        _first = d < 0;
    }

    public override string Operator => "$pop";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        if (slot.Current is not BsonArray array)
        {
            throw QueryException.TypeMismatch($"Path '{slot.Path}' contains an element of non-array type '{BsonText.TypeName(slot.Current!.Type)}'");
        }

        if (array.Count == 0)
        {
            return false;
        }

        array.RemoveAt(_first ? 0 : array.Count - 1);
        return true;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => false;
}

/// <summary>
/// <c>$pull</c> and <c>$pullAll</c>: remove the elements matching a condition. A document
/// without operators is a query on document elements (<c>{score: 8}</c> pulls every element
/// document with score 8); operators or a regex test each element as a value; anything else is
/// an equality (numbers by value).
/// </summary>
internal sealed class PullModifier : ModifierNode
{
    private readonly Func<BsonValue, bool> _matches;
    private readonly bool _all;

    private PullModifier(Func<BsonValue, bool> matches, bool all)
    {
        _matches = matches;
        _all = all;
    }

    public override string Operator => _all ? "$pullAll" : "$pull";

    public static PullModifier ForPull(BsonValue operand)
    {
        switch (operand)
        {
            case BsonDocument d when FilterParser.IsExpressionDocument(d) && !FilterParser.IsTopLevelOperator(d[0].Name):
            case BsonRegularExpression:
                var wrapped = FilterMatcher.Compile(new BsonDocument(string.Empty, operand));
                return new PullModifier(v => wrapped.Matches(new BsonDocument(string.Empty, v)), all: false);
            case BsonDocument d:
                var query = FilterMatcher.Compile(d);
                return new PullModifier(v => v is BsonDocument doc && query.Matches(doc), all: false);
            default:
                return new PullModifier(v => BsonValueComparer.Instance.Compare(v, operand) == 0, all: false);
        }
    }

    public static PullModifier ForPullAll(BsonValue operand)
    {
        if (operand is not BsonArray values)
        {
            throw QueryException.BadValue($"$pullAll requires an array argument but was given a {BsonText.TypeName(operand.Type)}");
        }

        var set = new HashSet<BsonValue>(values, BsonValueComparer.Instance);
        return new PullModifier(set.Contains, all: true);
    }

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        if (slot.Current is not BsonArray array)
        {
            throw QueryException.BadValue("Cannot apply $pull to a non-array value");
        }

        var changed = false;
        for (var i = array.Count - 1; i >= 0; i--)
        {
            if (_matches(array[i]))
            {
                array.RemoveAt(i);
                changed = true;
            }
        }

        return changed;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => false;
}
