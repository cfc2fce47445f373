using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary><c>$mod: [divisor, remainder]</c> on numbers (doubles and decimals truncated toward zero).</summary>
internal sealed class ModPredicate : LeafPredicate
{
    private readonly long _divisor;
    private readonly long _remainder;

    public ModPredicate(BsonValue operand)
    {
        if (operand is not BsonArray array)
        {
            throw QueryException.BadValue("malformed mod, needs to be an array");
        }

        if (array.Count < 2)
        {
            throw QueryException.BadValue("malformed mod, not enough elements");
        }

        if (array.Count > 2)
        {
            throw QueryException.BadValue("malformed mod, too many elements");
        }

        if (!array[0].IsNumeric)
        {
            throw QueryException.BadValue("malformed mod, divisor not a number");
        }

        if (!array[1].IsNumeric)
        {
            throw QueryException.BadValue("malformed mod, remainder not a number");
        }

        if (!TryTruncate(array[0], out _divisor))
        {
            throw QueryException.BadValue("malformed mod, divisor value is invalid :: caused by :: " + BsonText.Value(array[0]) + " is out of range");
        }

        if (!TryTruncate(array[1], out _remainder))
        {
            throw QueryException.BadValue("malformed mod, remainder value is invalid :: caused by :: " + BsonText.Value(array[1]) + " is out of range");
        }

        if (_divisor == 0)
        {
            throw QueryException.BadValue("divisor cannot be 0");
        }
    }

    public override bool Test(BsonValue? value)
    {
        if (value is null || !value.IsNumeric || !TryTruncate(value, out var dividend))
        {
            return false;
        }

        var mod = _divisor == -1 ? 0 : dividend % _divisor;
        return mod == _remainder;
    }

    private static bool TryTruncate(BsonValue v, out long result)
    {
        result = 0;
        double d;
        switch (v)
        {
            case BsonInt32 i:
                result = i.Value;
                return true;
            case BsonInt64 l:
                result = l.Value;
                return true;
            case BsonDouble dbl:
                d = dbl.Value;
                break;
            case BsonDecimal128 dec:
                if (!dec.Value.IsFinite)
                {
                    return false;
                }

                if (dec.Value.TryToDecimal(out var m))
                {
                    var t = decimal.Truncate(m);
                    if (t is < long.MinValue or > long.MaxValue)
                    {
                        return false;
                    }

                    result = (long)t;
                    return true;
                }

                d = dec.Value.ToDouble();
                break;
            default:
                return false;
        }

        if (!double.IsFinite(d))
        {
            return false;
        }

        d = Math.Truncate(d);
        if (d < -9.2233720368547758E18 || d >= 9.2233720368547758E18)
        {
            return false;
        }

        result = (long)d;
        return true;
    }
}

/// <summary>The kinds of bit test.</summary>
internal enum BitTest
{
    AllSet,
    AllClear,
    AnySet,
    AnyClear,
}

/// <summary><c>$bitsAllSet</c>, <c>$bitsAllClear</c>, <c>$bitsAnySet</c>, <c>$bitsAnyClear</c>.</summary>
internal sealed class BitsPredicate : LeafPredicate
{
    private readonly BitTest _test;
    private readonly List<int> _positions = [];
    private readonly ulong _mask;

    public BitsPredicate(BitTest test, string op, BsonValue operand)
    {
        _test = test;
        switch (operand)
        {
            case BsonArray positions:
                foreach (var p in positions)
                {
                    if (!p.IsNumeric || p.ToDouble() != Math.Floor(p.ToDouble()))
                    {
                        throw QueryException.BadValue($"bit positions must be an integer but got: {BsonText.Value(p)}");
                    }

                    var position = p.ToInt64();
                    if (position < 0)
                    {
                        throw QueryException.BadValue($"bit positions must be >= 0 but got: {BsonText.Value(p)}");
                    }

                    _positions.Add((int)Math.Min(position, int.MaxValue));
                    _mask |= 1UL << (int)Math.Min(position, 63);
                }

                break;
            case BsonBinaryData bin:
                var bytes = bin.Bytes.Span;
                for (var b = 0; b < bytes.Length; b++)
                {
                    for (var bit = 0; bit < 8; bit++)
                    {
                        if ((bytes[b] & (1 << bit)) != 0)
                        {
                            _positions.Add((b * 8) + bit);
                            _mask |= 1UL << Math.Min((b * 8) + bit, 63);
                        }
                    }
                }

                break;
            default:
                if (!operand.IsNumeric)
                {
                    throw QueryException.BadValue($"{op} takes an Array, a number, or a BinData but received: {BsonText.Element(op, operand)}");
                }

                var d = operand.ToDouble();
                if (d != Math.Floor(d) || d < 0 || d > long.MaxValue)
                {
                    throw QueryException.BadValue($"{op} takes a non-negative integral mask but received: {BsonText.Value(operand)}");
                }

                _mask = (ulong)operand.ToInt64();
                for (var bit = 0; bit < 64; bit++)
                {
                    if ((_mask & (1UL << bit)) != 0)
                    {
                        _positions.Add(bit);
                    }
                }

                break;
        }
    }

    public override bool Test(BsonValue? value)
    {
        if (value is BsonBinaryData bin)
        {
            var bytes = bin.Bytes.Span;
            foreach (var position in _positions)
            {
                var set = position < bytes.Length * 8 && (bytes[position / 8] & (1 << (position % 8))) != 0;
                switch (_test)
                {
                    case BitTest.AllSet when !set:
                    case BitTest.AllClear when set:
                        return false;
                    case BitTest.AnySet when set:
                    case BitTest.AnyClear when !set:
                        return true;
                }
            }

            return _test is BitTest.AllSet or BitTest.AllClear;
        }

        if (value is null || !value.IsNumeric)
        {
            return false;
        }

        long number;
        if (value is BsonDouble dbl)
        {
            var d = dbl.Value;
            if (double.IsNaN(d) || d >= 9.2233720368547758E18 || d < long.MinValue || d != Math.Truncate(d))
            {
                return false;
            }

            number = (long)d;
        }
        else if (value is BsonDecimal128)
        {
            return false;
        }
        else
        {
            number = value.ToInt64();
        }

        var bits = (ulong)number;
        return _test switch
        {
            BitTest.AllSet => (bits & _mask) == _mask,
            BitTest.AllClear => (~bits & _mask) == _mask,
            BitTest.AnySet => (bits & _mask) != 0,
            _ => (~bits & _mask) != 0,
        };
    }
}
