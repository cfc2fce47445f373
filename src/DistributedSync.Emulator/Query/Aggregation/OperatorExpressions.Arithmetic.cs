using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

internal static partial class OperatorExpressions
{
    private static void AddArithmetic(Dictionary<string, Factory> f)
    {
        f["$add"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, AddValues);
        f["$subtract"] = (n, a, s) => Simple(n, a, s, 2, 2, v => SubtractValues(v[0], v[1]));
        f["$multiply"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, MultiplyValues);
        f["$divide"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Divide(v[0], v[1]));
        f["$mod"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Mod(v[0], v[1]));
        f["$abs"] = (n, a, s) => Simple(n, a, s, 1, 1, v => Abs(v[0]));
        f["$sum"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, v => Fold(v, Accumulators.Create("$sum")));
        f["$avg"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, v => Fold(v, Accumulators.Create("$avg")));
        f["$min"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, v => Fold(v, Accumulators.Create("$min")));
        f["$max"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, v => Fold(v, Accumulators.Create("$max")));
    }

    /// <summary>The expression form of an accumulator: over an array's elements when given one array, else over the arguments.</summary>
    private static BsonValue? Fold(BsonValue?[] values, IAccumulator accumulator)
    {
        IEnumerable<BsonValue?> items = values.Length == 1 && values[0] is BsonArray a ? a : values;
        foreach (var v in items)
        {
            accumulator.Add(v);
        }

        return accumulator.Result();
    }

    private static BsonValue? AddValues(BsonValue?[] values)
    {
        BsonValue total = BsonInt32.Create(0);
        long? dateMillis = null;
        foreach (var v in values)
        {
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            if (v is BsonDateTime dt)
            {
                if (dateMillis is not null)
                {
                    throw new QueryException(16612, "only one date allowed in an $add expression");
                }

                dateMillis = dt.MillisecondsSinceEpoch;
                continue;
            }

            if (!v!.IsNumeric)
            {
                throw new QueryException(16554, $"$add only supports numeric or date types, not {BsonText.TypeName(v)}");
            }

            total = NumericOps.Aggregate(NumericOps.Op.Add, total, v);
        }

        if (dateMillis is { } ms)
        {
            return new BsonDateTime(ms + (long)Math.Round(total.ToDouble(), MidpointRounding.AwayFromZero));
        }

        return total;
    }

    private static BsonValue? SubtractValues(BsonValue? left, BsonValue? right)
    {
        if (IsNullish(left) || IsNullish(right))
        {
            return BsonNull.Value;
        }

        if (left is BsonDateTime l)
        {
            if (right is BsonDateTime r)
            {
                return new BsonInt64(l.MillisecondsSinceEpoch - r.MillisecondsSinceEpoch);
            }

            if (right!.IsNumeric)
            {
                return new BsonDateTime(l.MillisecondsSinceEpoch - (long)Math.Round(right.ToDouble(), MidpointRounding.AwayFromZero));
            }
        }
        else if (left!.IsNumeric && right!.IsNumeric)
        {
            return NumericOps.Subtract(left, right);
        }

        throw new QueryException(16556, $"can't $subtract {BsonText.TypeName(right)} from {BsonText.TypeName(left)}");
    }

    private static BsonValue? MultiplyValues(BsonValue?[] values)
    {
        BsonValue product = BsonInt32.Create(1);
        foreach (var v in values)
        {
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            if (!v!.IsNumeric)
            {
                throw new QueryException(16555, $"$multiply only supports numeric types, not {BsonText.TypeName(v)}");
            }

            product = NumericOps.Aggregate(NumericOps.Op.Multiply, product, v);
        }

        return product;
    }

    private static BsonValue? Divide(BsonValue? left, BsonValue? right)
    {
        if (IsNullish(left) || IsNullish(right))
        {
            return BsonNull.Value;
        }

        if (!left!.IsNumeric || !right!.IsNumeric)
        {
            throw new QueryException(16609, $"$divide only supports numeric types, not {BsonText.TypeName(left)} and {BsonText.TypeName(right)}");
        }

        if (left.Type == BsonType.Decimal128 || right.Type == BsonType.Decimal128)
        {
            var divisor = NumericOps.ToDecimal128(right);
            if (divisor.IsZero)
            {
                throw new QueryException(16608, "can't $divide by zero");
            }

            return new BsonDecimal128(NumericOps.DecimalDivide(NumericOps.ToDecimal128(left), divisor));
        }

        if (right.ToDouble() == 0)
        {
            throw new QueryException(16608, "can't $divide by zero");
        }

        return left.ToDouble() / right.ToDouble();
    }

    private static BsonValue? Mod(BsonValue? left, BsonValue? right)
    {
        if (IsNullish(left) || IsNullish(right))
        {
            return BsonNull.Value;
        }

        if (!left!.IsNumeric || !right!.IsNumeric)
        {
            throw new QueryException(16611, $"$mod only supports numeric types, not {BsonText.TypeName(left)} and {BsonText.TypeName(right)}");
        }

        if (right.ToDouble() == 0)
        {
            throw new QueryException(16610, "can't $mod by 0");
        }

        if (left.Type == BsonType.Decimal128 || right.Type == BsonType.Decimal128)
        {
            if (NumericOps.ToDecimal128(left).TryToDecimal(out var dl) && NumericOps.ToDecimal128(right).TryToDecimal(out var dr))
            {
                return new BsonDecimal128(Decimal128.FromDecimal(dl % dr));
            }

            return new BsonDecimal128(Decimal128.FromDouble(Math.IEEERemainder(left.ToDouble(), right.ToDouble())));
        }

        if (left.Type == BsonType.Double || right.Type == BsonType.Double)
        {
            return left.ToDouble() % right.ToDouble();
        }

        var l = left.ToInt64();
        var r = right.ToInt64();
        var m = r == -1 ? 0 : l % r;
        return left is BsonInt32 && right is BsonInt32 ? BsonInt32.Create((int)m) : new BsonInt64(m);
    }

    private static BsonValue? Abs(BsonValue? v) => v switch
    {
        null or BsonNull or BsonUndefined => BsonNull.Value,
        BsonInt32 i when i.Value == int.MinValue => new BsonInt64(-(long)int.MinValue),
        BsonInt32 i => BsonInt32.Create(Math.Abs(i.Value)),
        BsonInt64 l when l.Value == long.MinValue => throw new QueryException(28680, "can't take $abs of long long min"),
        BsonInt64 l => new BsonInt64(Math.Abs(l.Value)),
        BsonDouble d => new BsonDouble(Math.Abs(d.Value)),
        BsonDecimal128 m => new BsonDecimal128(m.Value.IsNegative ? NumericOps.DecimalOp(NumericOps.Op.Multiply, m.Value, Decimal128.MinusOne) : m.Value),
        _ => throw new QueryException(28765, $"$abs only supports numeric types, not {BsonText.TypeName(v)}"),
    };
}
