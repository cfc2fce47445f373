using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query;

/// <summary>
/// Arithmetic on BSON numbers with mongod's type promotion. Two flavours exist in mongod:
/// the update operators (<c>$inc</c>, <c>$mul</c>: SafeNum, where Int64 overflow is an error)
/// and aggregation (<c>$add</c>, <c>$sum</c>, ...: Int64 overflow falls back to double).
/// Decimal128 arithmetic goes through <see cref="decimal"/> (28 significant digits), falling
/// back to double outside that range.
/// </summary>
internal static class NumericOps
{
    /// <summary>The arithmetic operations.</summary>
    public enum Op
    {
        Add,
        Multiply,
    }

    /// <summary>
    /// SafeNum arithmetic for <c>$inc</c>/<c>$mul</c>: Int32 op Int32 is Int32, or Int64 when it
    /// overflows; with an Int64 the result is Int64, or null (invalid) when it overflows; with a
    /// double it is double; with a decimal it is decimal.
    /// </summary>
    public static BsonValue? Safe(Op op, BsonValue left, BsonValue right)
    {
        if (left.Type == BsonType.Decimal128 || right.Type == BsonType.Decimal128)
        {
            return new BsonDecimal128(DecimalOp(op, ToDecimal128(left), ToDecimal128(right)));
        }

        if (left.Type == BsonType.Double || right.Type == BsonType.Double)
        {
            var l = left.ToDouble();
            var r = right.ToDouble();
            return new BsonDouble(op == Op.Add ? l + r : l * r);
        }

        if (left is BsonInt32 li && right is BsonInt32 ri)
        {
            long wide = op == Op.Add ? (long)li.Value + ri.Value : (long)li.Value * ri.Value;
            return wide is >= int.MinValue and <= int.MaxValue ? BsonInt32.Create((int)wide) : new BsonInt64(wide);
        }

        var a = left.ToInt64();
        var b = right.ToInt64();
        try
        {
            return new BsonInt64(op == Op.Add ? checked(a + b) : checked(a * b));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// Aggregation arithmetic (<c>$add</c>, <c>$multiply</c>, <c>$sum</c>): like
    /// <see cref="Safe"/> except that Int64 overflow produces a double.
    /// </summary>
    public static BsonValue Aggregate(Op op, BsonValue left, BsonValue right)
    {
        var safe = Safe(op, left, right);
        if (safe is not null)
        {
            return safe;
        }

        var l = left.ToDouble();
        var r = right.ToDouble();
        return new BsonDouble(op == Op.Add ? l + r : l * r);
    }

    /// <summary>Subtraction with aggregation promotion rules (numbers only).</summary>
    public static BsonValue Subtract(BsonValue left, BsonValue right)
    {
        var negated = right switch
        {
            BsonInt32 i when i.Value != int.MinValue => BsonInt32.Create(-i.Value),
            BsonInt32 i => new BsonInt64(-(long)i.Value),
            BsonInt64 l when l.Value != long.MinValue => new BsonInt64(-l.Value),
            BsonInt64 l => new BsonDouble(-(double)l.Value),
            BsonDouble d => new BsonDouble(-d.Value),
            BsonDecimal128 m => new BsonDecimal128(DecimalOp(Op.Multiply, m.Value, Decimal128.MinusOne)),
            _ => right,
        };
        if (left is BsonInt32 && right is BsonInt32 && negated is BsonInt64)
        {
            return new BsonInt64((long)left.AsInt32 - right.AsInt32);
        }

        return Aggregate(Op.Add, left, negated);
    }

    /// <summary>The value as a Decimal128 (exact for integers).</summary>
    public static Decimal128 ToDecimal128(BsonValue value) => value switch
    {
        BsonInt32 i => Decimal128.FromInt64(i.Value),
        BsonInt64 l => Decimal128.FromInt64(l.Value),
        BsonDouble d => Decimal128.FromDouble(d.Value),
        BsonDecimal128 m => m.Value,
        _ => throw new InvalidCastException("Not a number: " + value.Type),
    };

    /// <summary>Decimal128 arithmetic (through System.Decimal when both fit, else double).</summary>
    public static Decimal128 DecimalOp(Op op, Decimal128 left, Decimal128 right)
    {
        if (left.IsNaN || right.IsNaN)
        {
            return Decimal128.NaN;
        }

        if (left.TryToDecimal(out var l) && right.TryToDecimal(out var r))
        {
            try
            {
                return Decimal128.FromDecimal(op == Op.Add ? l + r : l * r);
            }
            catch (OverflowException)
            {
                // Fall through to double arithmetic.
            }
        }

        var dl = left.ToDouble();
        var dr = right.ToDouble();
        return Decimal128.FromDouble(op == Op.Add ? dl + dr : dl * dr);
    }

    /// <summary>Division of decimals (same approximation as <see cref="DecimalOp"/>).</summary>
    public static Decimal128 DecimalDivide(Decimal128 left, Decimal128 right)
    {
        if (left.TryToDecimal(out var l) && right.TryToDecimal(out var r) && r != 0)
        {
            try
            {
                return Decimal128.FromDecimal(l / r);
            }
            catch (OverflowException)
            {
                // Fall through to double arithmetic.
            }
        }

        return Decimal128.FromDouble(left.ToDouble() / right.ToDouble());
    }

    /// <summary>True when both values are numbers of the same type and value (SafeNum::isIdentical).</summary>
    public static bool IsIdentical(BsonValue left, BsonValue right) => left.Equals(right);
}
