using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>
/// <c>"$a.b"</c> or <c>"$$var.a.b"</c>. Walking an array maps the rest of the path over its
/// elements: documents contribute their value (when present), nested arrays contribute the
/// nested result, other elements are skipped; numeric components are field names, not indexes.
/// </summary>
internal sealed class FieldPathExpression : AggExpression
{
    private FieldPathExpression(string variable, string[] path)
    {
        Variable = variable;
        Path = path;
    }

    /// <summary>"CURRENT" for plain field paths, else the variable name.</summary>
    public string Variable { get; }

    /// <summary>The components after the variable.</summary>
    public string[] Path { get; }

    /// <summary>The dotted field path relative to <c>$$CURRENT</c>, or null for other variables.</summary>
    public string? CurrentFieldPath => Variable == "CURRENT" && Path.Length > 0 ? string.Join('.', Path) : null;

    public static FieldPathExpression ParseField(string spec)
    {
        if (spec.Length == 1)
        {
            throw new QueryException(16872, "'$' by itself is not a valid FieldPath");
        }

        return new FieldPathExpression("CURRENT", FieldNames.ValidatePath(spec[1..]));
    }

    public static FieldPathExpression ParseVariable(string spec, VariableScope scope)
    {
        var body = spec[2..];
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? body : body[..dot];
        if (name.Length == 0)
        {
            throw new QueryException(16869, "empty variable names are not allowed");
        }

        if (!scope.IsDefined(name))
        {
            throw new QueryException(17276, "Use of undefined variable: " + name);
        }

        var path = dot < 0 ? [] : FieldNames.ValidatePath(body[(dot + 1)..]);
        return new FieldPathExpression(name, path);
    }

    public override BsonValue? Evaluate(ExpressionContext context) => Walk(context.Get(Variable), Path, 0);

    /// <summary>Evaluates a path against a value with the expression semantics.</summary>
    internal static BsonValue? Walk(BsonValue? value, string[] path, int index)
    {
        while (true)
        {
            if (index == path.Length)
            {
                return value;
            }

            switch (value)
            {
                case BsonDocument d:
                    if (!d.TryGetValue(path[index], out var next))
                    {
                        return null;
                    }

                    value = next;
                    index++;
                    continue;
                case BsonArray a:
                    var result = new BsonArray(a.Count);
                    foreach (var element in a)
                    {
                        if (element is BsonDocument or BsonArray)
                        {
                            var nested = Walk(element, path, index);
                            if (nested is not null)
                            {
                                result.Add(nested);
                            }
                        }
                    }

                    return result;
                default:
                    return null;
            }
        }
    }
}
