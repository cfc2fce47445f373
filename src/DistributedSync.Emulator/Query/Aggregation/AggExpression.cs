using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>The variables an expression is evaluated with.</summary>
internal sealed class ExpressionContext(BsonDocument root)
{
    private Dictionary<string, BsonValue?>? _variables;

    /// <summary><c>$$ROOT</c>: the document the pipeline stage is processing.</summary>
    public BsonDocument Root { get; } = root;

    /// <summary><c>$$CURRENT</c>: the value plain field paths start from (the root unless rebound).</summary>
    public BsonValue Current { get; set; } = root;

    /// <summary>The time <c>$$NOW</c> stands for.</summary>
    public DateTime Now { get; init; } = DateTime.UtcNow;

    /// <summary>Binds a user variable (<c>$let</c>, <c>$map</c>, <c>$filter</c>).</summary>
    public void Set(string name, BsonValue? value) => (_variables ??= new(StringComparer.Ordinal))[name] = value;

    /// <summary>Removes a user variable binding.</summary>
    public void Unset(string name) => _variables?.Remove(name);

    /// <summary>The value of a variable, or null when it is missing.</summary>
    public BsonValue? Get(string name) => name switch
    {
        "ROOT" => Root,
        "CURRENT" => Current,
        "REMOVE" => null,
        "NOW" => new BsonDateTime(Now),
        _ => _variables is not null && _variables.TryGetValue(name, out var v) ? v : null,
    };
}

/// <summary>
/// A compiled aggregation expression (field paths, variables, literals, object and array
/// expressions and operators such as <c>$add</c>). Evaluation returns null for "missing".
/// </summary>
internal abstract class AggExpression
{
    /// <summary>Evaluates against a context; null means the value is missing.</summary>
    public abstract BsonValue? Evaluate(ExpressionContext context);

    /// <summary>Evaluates with <paramref name="doc"/> as <c>$$ROOT</c> and <c>$$CURRENT</c>.</summary>
    public BsonValue? Evaluate(BsonDocument doc) => Evaluate(new ExpressionContext(doc));

    /// <summary>Compiles an expression; throws <see cref="QueryException"/> with mongod's codes.</summary>
    public static AggExpression Parse(BsonValue spec) => Parse(spec, VariableScope.Root);

    internal static AggExpression Parse(BsonValue spec, VariableScope scope)
    {
        switch (spec)
        {
            case BsonString s when s.Value.StartsWith("$$", StringComparison.Ordinal):
                return FieldPathExpression.ParseVariable(s.Value, scope);
            case BsonString s when s.Value.StartsWith('$'):
                return FieldPathExpression.ParseField(s.Value);
            case BsonArray a:
                return new ArrayExpression([.. a.Select(item => Parse(item, scope))]);
            case BsonDocument d when d.Count > 0 && d[0].Name.StartsWith('$'):
                if (d.Count != 1)
                {
                    throw new QueryException(15983,
                        $"an expression specification must contain exactly one field, the name of the expression. Found {d.Count} fields in {BsonText.Value(d)}, while parsing object {BsonText.Value(d)}");
                }

                return OperatorExpressions.Create(d[0].Name, d[0].Value, scope);
            case BsonDocument d:
                return ObjectExpression.Parse(d, scope);
            default:
                return new ConstantExpression(spec);
        }
    }
}

/// <summary>The names a sub-expression may refer to with <c>$$name</c>.</summary>
internal sealed class VariableScope
{
    private readonly HashSet<string> _names;

    private VariableScope(HashSet<string> names) => _names = names;

    /// <summary>The built-in variables only.</summary>
    public static VariableScope Root { get; } = new(new(StringComparer.Ordinal) { "ROOT", "CURRENT", "REMOVE", "NOW" });

    /// <summary>A scope that also defines <paramref name="names"/>.</summary>
    public VariableScope With(params string[] names)
    {
        var set = new HashSet<string>(_names, StringComparer.Ordinal);
        set.UnionWith(names);
        return new VariableScope(set);
    }

    /// <summary>True when <paramref name="name"/> is defined.</summary>
    public bool IsDefined(string name) => _names.Contains(name);
}

/// <summary>A literal value.</summary>
internal sealed class ConstantExpression(BsonValue value) : AggExpression
{
    public BsonValue Value { get; } = value;

    public override BsonValue? Evaluate(ExpressionContext context) => Value;
}

/// <summary>An array of expressions; missing elements become null.</summary>
internal sealed class ArrayExpression(IReadOnlyList<AggExpression> items) : AggExpression
{
    public override BsonValue? Evaluate(ExpressionContext context)
    {
        var result = new BsonArray(items.Count);
        foreach (var item in items)
        {
            result.Add(item.Evaluate(context) ?? BsonNull.Value);
        }

        return result;
    }
}

/// <summary>A document of expressions; fields whose value is missing are left out.</summary>
internal sealed class ObjectExpression(IReadOnlyList<(string Name, AggExpression Value)> fields) : AggExpression
{
    public IReadOnlyList<(string Name, AggExpression Value)> Fields { get; } = fields;

    public static ObjectExpression Parse(BsonDocument spec, VariableScope scope)
    {
        var fields = new List<(string, AggExpression)>(spec.Count);
        foreach (var e in spec)
        {
            FieldNames.Validate(e.Name);
            if (e.Name.Contains('.', StringComparison.Ordinal))
            {
                throw new QueryException(16412, $"FieldPath field names may not contain '.'. Consider using $getField or $setField.");
            }

            fields.Add((e.Name, AggExpression.Parse(e.Value, scope)));
        }

        return new ObjectExpression(fields);
    }

    public override BsonValue? Evaluate(ExpressionContext context)
    {
        var doc = new BsonDocument(Fields.Count);
        foreach (var (name, value) in Fields)
        {
            var v = value.Evaluate(context);
            if (v is not null)
            {
                doc.Set(name, v);
            }
        }

        return doc;
    }
}

/// <summary>Checks of field names in pipeline specifications.</summary>
internal static class FieldNames
{
    /// <summary>Rejects empty names and names starting with '$' (mongod's FieldPath rules).</summary>
    public static void Validate(string name)
    {
        if (name.Length == 0)
        {
            throw new QueryException(15998, "FieldPath field names may not be empty strings.");
        }

        if (name.StartsWith('$'))
        {
            throw new QueryException(16410, $"FieldPath field names may not start with '$'. Consider using $getField or $setField.");
        }
    }

    /// <summary>Validates every component of a dotted path and splits it.</summary>
    public static string[] ValidatePath(string dotted)
    {
        if (dotted.Length == 0)
        {
            throw new QueryException(40352, "FieldPath cannot be constructed with empty string");
        }

        var parts = PathSupport.Split(dotted);
        foreach (var part in parts)
        {
            Validate(part);
        }

        return parts;
    }
}
