using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Sort;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>
/// <c>$push</c>, with the <c>$each</c>, <c>$position</c>, <c>$sort</c> and <c>$slice</c>
/// modifiers applied in that order. A missing field becomes a new array.
/// </summary>
internal sealed class PushModifier : ModifierNode
{
    private readonly BsonValue[] _values;
    private readonly int? _position;
    private readonly int? _slice;
    private readonly bool _hasSort;
    private readonly int _wholeSortDirection;
    private readonly SortSpec? _sortPattern;

    public PushModifier(BsonValue operand)
    {
        if (operand is not BsonDocument spec || !spec.Contains("$each"))
        {
            _values = [operand];
            return;
        }

        foreach (var (name, value) in spec)
        {
            switch (name)
            {
                case "$each":
                    _values = value is BsonArray each
                        ? [.. each]
                        : throw QueryException.BadValue($"The argument to $each in $push must be an array but it was of type: {BsonText.TypeName(value.Type)}");
                    break;
                case "$slice":
                    _slice = IntegerArgument(value, "The value for $slice must be an integer value but was given type: ");
                    break;
                case "$position":
                    _position = IntegerArgument(value, "The value for $position must be an integer value, not of type: ");
                    break;
                case "$sort":
                    _hasSort = true;
                    ParseSort(value, out _wholeSortDirection, out _sortPattern);
                    break;
                default:
                    throw QueryException.BadValue($"Unrecognized clause in $push: {name}");
            }
        }

        _values ??= [];
    }

    public override string Operator => "$push";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        if (slot.Current is not BsonArray array)
        {
            throw QueryException.BadValue(
                $"The field '{slot.Key}' must be an array but is of type {BsonText.TypeName(slot.Current!.Type)} in document {BsonText.IdOf(context.Document)}");
        }

        var before = _values.Length == 0 && (_hasSort || _slice is not null) ? array.DeepClone() : null;
        Modify(array);
        return before is null || !before.Equals(array);
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context)
    {
        var array = new BsonArray();
        Modify(array);
        slot.Set(array);
        return true;
    }

    private static int IntegerArgument(BsonValue value, string message)
    {
        if (!value.IsNumeric || value.ToDouble() != Math.Floor(value.ToDouble()))
        {
            throw QueryException.BadValue(message + BsonText.TypeName(value.Type));
        }

        return (int)Math.Clamp(value.ToInt64(), int.MinValue, int.MaxValue);
    }

    private static void ParseSort(BsonValue value, out int wholeDirection, out SortSpec? pattern)
    {
        wholeDirection = 0;
        pattern = null;
        if (value.IsNumeric)
        {
            var d = value.ToDouble();
            wholeDirection = d is 1 or -1 ? (int)d : throw QueryException.BadValue("The $sort element value must be either 1 or -1");
            return;
        }

        if (value is not BsonDocument doc)
        {
            throw QueryException.BadValue("The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields");
        }

        if (doc.Count == 0)
        {
            throw QueryException.BadValue("The $sort pattern is empty when it should be a set of fields.");
        }

        foreach (var (name, direction) in doc)
        {
            if (name.Length == 0 || name.Split('.').Any(p => p.Length == 0))
            {
                throw QueryException.BadValue($"The $sort field is a dotted field but has an empty part: {name}");
            }

            if (!direction.IsNumeric || direction.ToDouble() is not (1 or -1))
            {
                throw QueryException.BadValue("The $sort element value must be either 1 or -1");
            }
        }

        pattern = SortSpec.Compile(doc);
    }

    private void Modify(BsonArray array)
    {
        var position = _position ?? array.Count;
        if (position < 0)
        {
            position = Math.Max(0, array.Count + position);
        }

        position = Math.Min(position, array.Count);
        for (var i = 0; i < _values.Length; i++)
        {
            array.Insert(position + i, PathSupport.Clone(_values[i]));
        }

        if (_hasSort)
        {
            SortArray(array);
        }

        if (_slice is { } slice)
        {
            if (slice >= 0)
            {
                while (array.Count > slice)
                {
                    array.RemoveAt(array.Count - 1);
                }
            }
            else
            {
                while (array.Count > -(long)slice)
                {
                    array.RemoveAt(0);
                }
            }
        }
    }

    private void SortArray(BsonArray array)
    {
        List<BsonValue> sorted;
        if (_sortPattern is null)
        {
            sorted = [.. array.OrderBy(v => v, _wholeSortDirection > 0 ? BsonValueComparer.Instance : Comparer<BsonValue>.Create((x, y) => BsonValueComparer.Instance.Compare(y, x)))];
        }
        else
        {
            var keyed = array.Select(v => (Value: v, Key: _sortPattern.ExtractKey(v as BsonDocument ?? []))).ToList();
            sorted = [.. keyed.OrderBy(k => k.Key, Comparer<BsonValue[]>.Create(_sortPattern.CompareKeys)).Select(k => k.Value)];
        }

        array.Clear();
        array.AddRange(sorted);
    }
}
