using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Update;

/// <summary><c>$set</c> and <c>$setOnInsert</c> (the latter only when inserting).</summary>
internal sealed class SetModifier(BsonValue value, bool onInsertOnly) : ModifierNode
{
    public override string Operator => onInsertOnly ? "$setOnInsert" : "$set";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        if ((onInsertOnly && !context.IsInsert) || slot.Current!.Equals(value))
        {
            return false;
        }

        slot.Set(PathSupport.Clone(value));
        return true;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context)
    {
        if (onInsertOnly && !context.IsInsert)
        {
            return false;
        }

        slot.Set(PathSupport.Clone(value));
        return true;
    }
}

/// <summary><c>$unset</c>: removes a field; an array element becomes null.</summary>
internal sealed class UnsetModifier : ModifierNode
{
    public override string Operator => "$unset";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        slot.Remove();
        return true;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => false;
}

/// <summary>Marks the source path of a <c>$rename</c> so other operators on it conflict; applying it does nothing.</summary>
internal sealed class ConflictPlaceholder : ModifierNode
{
    public override string Operator => "$rename";

    protected override bool ApplyExisting(Slot slot, UpdateContext context) => false;

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => false;
}

/// <summary>
/// <c>$inc</c> and <c>$mul</c> with SafeNum promotion; a missing field is created with the
/// increment, or with a zero of the multiplier's type.
/// </summary>
internal sealed class ArithmeticModifier : ModifierNode
{
    private readonly NumericOps.Op _op;
    private readonly BsonValue _operand;

    public ArithmeticModifier(NumericOps.Op op, string field, BsonValue operand)
    {
        _op = op;
        if (!operand.IsNumeric)
        {
            var verb = op == NumericOps.Op.Add ? "increment" : "multiply";
            throw QueryException.TypeMismatch($"Cannot {verb} with non-numeric argument: {{{BsonText.Element(field, operand)}}}");
        }

        _operand = operand;
    }

    public override string Operator => _op == NumericOps.Op.Add ? "$inc" : "$mul";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        var current = slot.Current!;
        if (!current.IsNumeric)
        {
            throw QueryException.TypeMismatch(
                $"Cannot apply {Operator} to a value of non-numeric type. {BsonText.IdOf(context.Document)} has the field '{slot.Key}' of non-numeric type {BsonText.TypeName(current.Type)}");
        }

        var result = NumericOps.Safe(_op, current, _operand)
            ?? throw QueryException.BadValue(
                $"Failed to apply {Operator} operations to current value ({DebugNumber(current)}) for document {BsonText.IdOf(context.Document)}");
        if (NumericOps.IsIdentical(result, current))
        {
            return false;
        }

        slot.Set(result);
        return true;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context)
    {
        var value = _op == NumericOps.Op.Add ? _operand : NumericOps.Safe(NumericOps.Op.Multiply, _operand, BsonInt32.Create(0))!;
        slot.Set(value);
        return true;
    }

    private static string DebugNumber(BsonValue v) => v switch
    {
        BsonInt64 l => "(NumberLong)" + BsonText.Value(l),
        BsonInt32 i => "(NumberInt)" + BsonText.Value(i),
        BsonDouble d => "(NumberDouble)" + BsonText.Value(d),
        _ => BsonText.Value(v),
    };
}

/// <summary><c>$min</c> / <c>$max</c>: replace when the operand sorts below / above the current value.</summary>
internal sealed class CompareModifier(BsonValue operand, bool keepMax) : ModifierNode
{
    public override string Operator => keepMax ? "$max" : "$min";

    protected override bool ApplyExisting(Slot slot, UpdateContext context)
    {
        var c = BsonValueComparer.Instance.Compare(operand, slot.Current!);
        if (keepMax ? c <= 0 : c >= 0)
        {
            return false;
        }

        slot.Set(PathSupport.Clone(operand));
        return true;
    }

    protected override bool ApplyMissing(Slot slot, UpdateContext context)
    {
        slot.Set(PathSupport.Clone(operand));
        return true;
    }
}

/// <summary><c>$currentDate</c>: the current date (or timestamp), always written.</summary>
internal sealed class CurrentDateModifier : ModifierNode
{
    private readonly bool _timestamp;

    public CurrentDateModifier(string field, BsonValue operand)
    {
        switch (operand)
        {
            case BsonBoolean:
                break;
            case BsonDocument d:
                foreach (var e in d)
                {
                    if (e.Name != "$type")
                    {
                        throw QueryException.BadValue($"Unrecognized $currentDate option: {e.Name}");
                    }
                }

                var type = d.GetValueOrDefault("$type");
                if (type is not BsonString { Value: "date" or "timestamp" } s)
                {
                    throw QueryException.BadValue($"The '$type' string field is required to be 'date' or 'timestamp': {BsonText.Value(d)}");
                }

                _timestamp = s.Value == "timestamp";
                break;
            default:
                throw QueryException.BadValue(
                    $"{BsonText.Element(field, operand)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({{$type: 'timestamp/date'}}).");
        }
    }

    public override string Operator => "$currentDate";

    protected override bool ApplyExisting(Slot slot, UpdateContext context) => Write(slot, context);

    protected override bool ApplyMissing(Slot slot, UpdateContext context) => Write(slot, context);

    private bool Write(Slot slot, UpdateContext context)
    {
        slot.Set(_timestamp ? context.CurrentTimestamp : new BsonDateTime(context.NowMilliseconds));
        return true;
    }
}
