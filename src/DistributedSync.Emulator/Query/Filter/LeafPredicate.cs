using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>A test of one value reached by a path; null stands for a missing field.</summary>
internal abstract class LeafPredicate
{
    /// <summary>
    /// True (the default) when an array at the end of the path is expanded into its elements
    /// before the array itself is tested; false for operators on whole arrays.
    /// </summary>
    public virtual bool TraversesLeafArrays => true;

    /// <summary>Tests one value.</summary>
    public abstract bool Test(BsonValue? value);

    /// <summary>Tests one value, reporting the array index that matched for operators that look inside arrays.</summary>
    public virtual bool Test(BsonValue? value, ref int arrayOffset) => Test(value);
}

/// <summary>The comparison operators.</summary>
internal enum CompareOp
{
    Eq,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// <summary>
/// <c>$eq</c>, <c>$lt</c>, <c>$lte</c>, <c>$gt</c>, <c>$gte</c> (and implicit equality) with
/// mongod's type bracketing: values of different canonical types never compare, except that a
/// missing field equals null and MinKey/MaxKey bound everything.
/// </summary>
internal sealed class ComparisonPredicate : LeafPredicate
{
    public ComparisonPredicate(CompareOp op, BsonValue operand)
    {
        if (operand.Type == BsonType.Undefined)
        {
            throw QueryException.BadValue("cannot compare to undefined");
        }

        Op = op;
        Operand = operand;
    }

    public CompareOp Op { get; }

    public BsonValue Operand { get; }

    public override bool Test(BsonValue? value)
    {
        if (value is null)
        {
            return Operand.Type switch
            {
                BsonType.Null => Op is CompareOp.Eq or CompareOp.Lte or CompareOp.Gte,
                BsonType.MinKey => Op is CompareOp.Gt or CompareOp.Gte,
                BsonType.MaxKey => Op is CompareOp.Lt or CompareOp.Lte,
                _ => false,
            };
        }

        if (value.Type != Operand.Type
            && BsonValueComparer.CanonicalTypeOrder(value.Type) != BsonValueComparer.CanonicalTypeOrder(Operand.Type))
        {
            return Operand.Type switch
            {
                BsonType.MinKey => Op is CompareOp.Gt or CompareOp.Gte,
                BsonType.MaxKey => Op is CompareOp.Lt or CompareOp.Lte,
                _ => false,
            };
        }

        if (Op != CompareOp.Eq)
        {
            var lhsNaN = IsNaN(value);
            var rhsNaN = IsNaN(Operand);
            if (lhsNaN || rhsNaN)
            {
                return Op is CompareOp.Lte or CompareOp.Gte && lhsNaN && rhsNaN;
            }
        }

        var c = BsonValueComparer.Instance.Compare(value, Operand);
        return Op switch
        {
            CompareOp.Eq => c == 0,
            CompareOp.Lt => c < 0,
            CompareOp.Lte => c <= 0,
            CompareOp.Gt => c > 0,
            _ => c >= 0,
        };
    }

    internal static bool IsNaN(BsonValue v) => v switch
    {
        BsonDouble d => double.IsNaN(d.Value),
        BsonDecimal128 m => m.Value.IsNaN,
        _ => false,
    };
}

/// <summary><c>$in</c>: equality to any listed value (numbers by value), or a match of any listed regex.</summary>
internal sealed class InPredicate : LeafPredicate
{
    private readonly HashSet<BsonValue> _values = new(BsonValueComparer.Instance);
    private readonly List<RegexPredicate> _regexes = [];
    private readonly bool _hasNull;

    public InPredicate(BsonValue operand, string op)
    {
        if (operand is not BsonArray array)
        {
            throw QueryException.BadValue(op + " needs an array");
        }

        foreach (var v in array)
        {
            switch (v)
            {
                case BsonRegularExpression r:
                    _regexes.Add(new RegexPredicate(r.Pattern, r.Options));
                    break;
                case BsonUndefined:
                    throw QueryException.BadValue("InMatchExpression equality cannot be undefined");
                case BsonDocument d when FilterParser.IsExpressionDocument(d):
                    throw QueryException.BadValue("cannot nest $ under " + op);
                default:
                    _hasNull |= v.Type == BsonType.Null;
                    _values.Add(v);
                    break;
            }
        }

        Values = [.. array.Where(v => v.Type != BsonType.RegularExpression)];
    }

    /// <summary>The listed non-regex values, in order.</summary>
    public IReadOnlyList<BsonValue> Values { get; }

    /// <summary>True when the list holds no regexes.</summary>
    public bool IsPlainEquality => _regexes.Count == 0;

    public override bool Test(BsonValue? value)
    {
        if (value is null)
        {
            return _hasNull;
        }

        if (_values.Contains(value))
        {
            return true;
        }

        foreach (var r in _regexes)
        {
            if (r.Test(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>$exists: true</c> (false is its negation).</summary>
internal sealed class ExistsPredicate : LeafPredicate
{
    public static readonly ExistsPredicate Instance = new();

    public override bool Test(BsonValue? value) => value is not null;
}

/// <summary><c>$size</c>: an array of exactly that many elements.</summary>
internal sealed class SizePredicate(int size) : LeafPredicate
{
    public override bool TraversesLeafArrays => false;

    public override bool Test(BsonValue? value) => value is BsonArray a && a.Count == size;
}

/// <summary><c>$type</c>: one of the listed BSON types (or any number for "number").</summary>
internal sealed class TypePredicate(HashSet<BsonType> types, bool anyNumber) : LeafPredicate
{
    public override bool Test(BsonValue? value)
        => value is not null && (types.Contains(value.Type) || (anyNumber && value.IsNumeric));
}
