using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>An operator applied to evaluated arguments.</summary>
internal sealed class OperatorExpression(string name, IReadOnlyList<AggExpression> args, Func<BsonValue?[], BsonValue?> body) : AggExpression
{
    public string Name { get; } = name;

    public override BsonValue? Evaluate(ExpressionContext context)
    {
        var values = new BsonValue?[args.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = args[i].Evaluate(context);
        }

        return body(values);
    }
}

/// <summary>An operator that decides itself which arguments to evaluate (<c>$and</c>, <c>$cond</c>, ...).</summary>
internal sealed class LazyOperatorExpression(IReadOnlyList<AggExpression> args, Func<IReadOnlyList<AggExpression>, ExpressionContext, BsonValue?> body) : AggExpression
{
    public override BsonValue? Evaluate(ExpressionContext context) => body(args, context);
}

/// <summary>The expression operators the emulator supports, by name.</summary>
internal static partial class OperatorExpressions
{
    private delegate AggExpression Factory(string name, BsonValue arg, VariableScope scope);

    private static readonly Dictionary<string, Factory> Factories = CreateFactories();

    /// <summary>Compiles <c>{name: arg}</c>.</summary>
    public static AggExpression Create(string name, BsonValue arg, VariableScope scope)
    {
        if (!Factories.TryGetValue(name, out var factory))
        {
            throw new QueryException(QueryErrorCodes.InvalidPipelineOperator, $"Unrecognized expression '{name}'");
        }

        return factory(name, arg, scope);
    }

    /// <summary>MongoDB truthiness of a possibly missing value.</summary>
    public static bool IsTrue(BsonValue? value) => value is not null && value.ToBoolean();

    /// <summary>Compares with the full cross-type order; missing sorts with undefined, below null.</summary>
    public static int Compare(BsonValue? left, BsonValue? right)
        => BsonValueComparer.Instance.Compare(left ?? BsonUndefined.Value, right ?? BsonUndefined.Value);

    private static bool IsNullish(BsonValue? v) => v is null || v.Type is BsonType.Null or BsonType.Undefined;

    private static List<AggExpression> Args(BsonValue arg, VariableScope scope)
        => arg is BsonArray a ? [.. a.Select(x => AggExpression.Parse(x, scope))] : [AggExpression.Parse(arg, scope)];

    private static List<AggExpression> Args(string name, BsonValue arg, VariableScope scope, int min, int max)
    {
        var args = Args(arg, scope);
        if (args.Count < min || args.Count > max)
        {
            var expected = min == max
                ? $"takes exactly {min} arguments"
                : max == int.MaxValue ? $"takes at least {min} arguments" : $"takes at least {min} arguments and at most {max}";
            throw new QueryException(16020, $"Expression {name} {expected}. {args.Count} were passed in.");
        }

        return args;
    }

    private static AggExpression Simple(string name, BsonValue arg, VariableScope scope, int min, int max, Func<BsonValue?[], BsonValue?> body)
        => new OperatorExpression(name, Args(name, arg, scope, min, max), body);

    private static Dictionary<string, Factory> CreateFactories()
    {
        var f = new Dictionary<string, Factory>(StringComparer.Ordinal)
        {
            ["$literal"] = (_, arg, _) => new ConstantExpression(arg),
            ["$eq"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) == 0),
            ["$ne"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) != 0),
            ["$gt"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) > 0),
            ["$gte"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) >= 0),
            ["$lt"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) < 0),
            ["$lte"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Compare(v[0], v[1]) <= 0),
            ["$cmp"] = (n, a, s) => Simple(n, a, s, 2, 2, v => Math.Sign(Compare(v[0], v[1]))),
            ["$not"] = (n, a, s) => Simple(n, a, s, 1, 1, v => !IsTrue(v[0])),
            ["$and"] = (_, a, s) => new LazyOperatorExpression(Args(a, s), (args, ctx) => args.All(x => IsTrue(x.Evaluate(ctx)))),
            ["$or"] = (_, a, s) => new LazyOperatorExpression(Args(a, s), (args, ctx) => args.Any(x => IsTrue(x.Evaluate(ctx)))),
            ["$cond"] = ParseCond,
            ["$ifNull"] = (n, a, s) => new LazyOperatorExpression(Args(n, a, s, 2, int.MaxValue), IfNull),
            ["$type"] = (n, a, s) => Simple(n, a, s, 1, 1, v => v[0] is null ? "missing" : BsonText.TypeName(v[0]!.Type)),
            ["$isArray"] = (n, a, s) => Simple(n, a, s, 1, 1, v => v[0] is BsonArray),
            ["$concat"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, Concat),
            ["$toUpper"] = (n, a, s) => Simple(n, a, s, 1, 1, v => CaseMap(n, v[0], upper: true)),
            ["$toLower"] = (n, a, s) => Simple(n, a, s, 1, 1, v => CaseMap(n, v[0], upper: false)),
            ["$size"] = (n, a, s) => Simple(n, a, s, 1, 1, Size),
            ["$arrayElemAt"] = (n, a, s) => Simple(n, a, s, 2, 2, ArrayElemAt),
            ["$in"] = (n, a, s) => Simple(n, a, s, 2, 2, In),
            ["$concatArrays"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, ConcatArrays),
            ["$mergeObjects"] = (n, a, s) => Simple(n, a, s, 0, int.MaxValue, MergeObjects),
            ["$first"] = (n, a, s) => Simple(n, a, s, 1, 1, v => Edge(n, v[0], first: true)),
            ["$last"] = (n, a, s) => Simple(n, a, s, 1, 1, v => Edge(n, v[0], first: false)),
        };
        AddArithmetic(f);
        return f;
    }

    private static AggExpression ParseCond(string name, BsonValue arg, VariableScope scope)
    {
        AggExpression[] parts;
        if (arg is BsonDocument d)
        {
            foreach (var e in d)
            {
                if (e.Name is not ("if" or "then" or "else"))
                {
                    throw new QueryException(17083, "Unrecognized parameter to $cond: " + e.Name);
                }
            }

            parts =
            [
                AggExpression.Parse(d.GetValueOrDefault("if") ?? throw new QueryException(17080, "Missing 'if' parameter to $cond"), scope),
                AggExpression.Parse(d.GetValueOrDefault("then") ?? throw new QueryException(17081, "Missing 'then' parameter to $cond"), scope),
                AggExpression.Parse(d.GetValueOrDefault("else") ?? throw new QueryException(17082, "Missing 'else' parameter to $cond"), scope),
            ];
        }
        else
        {
            parts = [.. Args(name, arg, scope, 3, 3)];
        }

        return new LazyOperatorExpression(parts, (args, ctx) => IsTrue(args[0].Evaluate(ctx)) ? args[1].Evaluate(ctx) : args[2].Evaluate(ctx));
    }

    private static BsonValue? IfNull(IReadOnlyList<AggExpression> args, ExpressionContext ctx)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            var v = args[i].Evaluate(ctx);
            if (!IsNullish(v))
            {
                return v;
            }
        }

        return args[^1].Evaluate(ctx);
    }

    private static BsonValue? Concat(BsonValue?[] values)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            parts[i] = v is BsonString s
                ? s.Value
                : throw new QueryException(16702, $"$concat only supports strings, not {BsonText.TypeName(v)}");
        }

        return string.Concat(parts);
    }

    private static BsonValue? CaseMap(string name, BsonValue? v, bool upper)
    {
        string text = v switch
        {
            null or BsonNull or BsonUndefined => string.Empty,
            BsonString s => s.Value,
            BsonSymbol sym => sym.Name,
            BsonInt32 i => i.Value.ToString(CultureInfo.InvariantCulture),
            BsonInt64 l => l.Value.ToString(CultureInfo.InvariantCulture),
            BsonDouble d => d.Value.ToString("R", CultureInfo.InvariantCulture),
            BsonDecimal128 m => m.Value.ToString(),
            _ => throw new QueryException(16007, $"can't convert from BSON type {BsonText.TypeName(v)} to String"),
        };
        _ = name;
        return upper ? text.ToUpperInvariant() : text.ToLowerInvariant();
    }

    private static BsonValue? Size(BsonValue?[] v) => v[0] is BsonArray a
        ? a.Count
        : throw new QueryException(17124, $"The argument to $size must be an array. Type of argument is {BsonText.TypeName(v[0])}");

    private static BsonValue? ArrayElemAt(BsonValue?[] v)
    {
        if (IsNullish(v[0]) || IsNullish(v[1]))
        {
            return BsonNull.Value;
        }

        if (v[0] is not BsonArray a)
        {
            throw new QueryException(28689, $"$arrayElemAt's first argument must be an array, but is {BsonText.TypeName(v[0])}");
        }

        if (v[1] is not { IsNumeric: true } index || index.ToDouble() != Math.Floor(index.ToDouble()))
        {
            throw new QueryException(28690, $"$arrayElemAt's second argument must be a numeric value, but is {BsonText.TypeName(v[1])}");
        }

        var i = index.ToInt64();
        if (i < 0)
        {
            i += a.Count;
        }

        return i >= 0 && i < a.Count ? a[(int)i] : null;
    }

    private static BsonValue? In(BsonValue?[] v)
    {
        if (v[1] is not BsonArray a)
        {
            throw new QueryException(40081, $"$in requires an array as a second argument, found: {BsonText.TypeName(v[1])}");
        }

        return a.Any(x => Compare(x, v[0]) == 0);
    }

    private static BsonValue? ConcatArrays(BsonValue?[] values)
    {
        var result = new BsonArray();
        foreach (var v in values)
        {
            if (IsNullish(v))
            {
                return BsonNull.Value;
            }

            if (v is not BsonArray a)
            {
                throw new QueryException(28664, $"$concatArrays only supports arrays, not {BsonText.TypeName(v)}");
            }

            result.AddRange(a);
        }

        return result;
    }

    private static BsonValue? MergeObjects(BsonValue?[] values)
    {
        var result = new BsonDocument();
        foreach (var v in values)
        {
            if (IsNullish(v))
            {
                continue;
            }

            if (v is not BsonDocument d)
            {
                throw new QueryException(40400, $"$mergeObjects requires object inputs, but input {BsonText.Value(v!)} is of type {BsonText.TypeName(v)}");
            }

            foreach (var e in d)
            {
                result.Set(e.Name, e.Value);
            }
        }

        return result;
    }

    private static BsonValue? Edge(string name, BsonValue? v, bool first)
    {
        if (IsNullish(v))
        {
            return BsonNull.Value;
        }

        if (v is not BsonArray a)
        {
            throw new QueryException(28689, $"{name}'s argument must be an array, but is {BsonText.TypeName(v)}");
        }

        return a.Count == 0 ? null : first ? a[0] : a[^1];
    }
}
