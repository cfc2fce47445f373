using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>
/// <c>$addFields</c> / <c>$set</c>: computes fields (expressions are evaluated against the
/// input document) and writes them into a copy of it. Existing fields are replaced in place,
/// new ones appended; dotted paths and nested documents without operators add into embedded
/// documents (into every document of an array); a missing result (e.g. <c>$$REMOVE</c>)
/// removes the field.
/// </summary>
internal sealed class AddFieldsStage : PipelineStage
{
    private readonly string _name;
    private readonly FieldTree _tree;

    private AddFieldsStage(string name, FieldTree tree)
    {
        _name = name;
        _tree = tree;
    }

    public override string Name => _name;

    public static AddFieldsStage Create(string name, BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new QueryException(40272, $"{name} specification stage must be an object, got {BsonText.TypeName(arg.Type)}");
        }

        var tree = new FieldTree();
        try
        {
            tree.Parse(spec, null);
        }
        catch (QueryException e)
        {
            throw new QueryException(e.Code, $"Invalid {name} :: caused by :: {e.Message}");
        }

        return new AddFieldsStage(name, tree);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var doc in input)
        {
            var context = new ExpressionContext(doc);
            yield return _tree.ApplyTo(doc, context);
        }
    }

    /// <summary>The computed fields of one document level.</summary>
    private sealed class FieldTree
    {
        private readonly List<(string Name, AggExpression? Expression, FieldTree? Nested)> _fields = [];

        public void Parse(BsonDocument spec, string? prefix)
        {
            foreach (var (name, value) in spec)
            {
                var path = FieldNames.ValidatePath(name);
                var full = prefix is null ? name : prefix + "." + name;
                var target = this;
                for (var i = 0; i < path.Length - 1; i++)
                {
                    target = target.NestedFor(path[i], full);
                }

                var last = path[^1];
                if (value is BsonDocument sub && sub.Count > 0 && !sub[0].Name.StartsWith('$'))
                {
                    target.NestedFor(last, full).Parse(sub, full);
                }
                else
                {
                    if (target._fields.Any(f => f.Name == last))
                    {
                        throw new QueryException(31250, "Path collision at " + full);
                    }

                    target._fields.Add((last, AggExpression.Parse(value), null));
                }
            }
        }

        public BsonDocument ApplyTo(BsonDocument source, ExpressionContext context)
        {
            var result = new BsonDocument(source.Count + _fields.Count);
            foreach (var e in source)
            {
                result.Add(e.Name, e.Value);
            }

            foreach (var (name, expression, nested) in _fields)
            {
                if (expression is not null)
                {
                    var value = expression.Evaluate(context);
                    if (value is null)
                    {
                        result.Remove(name);
                    }
                    else
                    {
                        result.Set(name, value);
                    }

                    continue;
                }

                result.Set(name, nested!.ApplyToValue(result.GetValueOrDefault(name), context));
            }

            return result;
        }

        private BsonValue ApplyToValue(BsonValue? value, ExpressionContext context) => value switch
        {
            BsonDocument d => ApplyTo(d, context),
            BsonArray a => new BsonArray(a.Select(item => ApplyToValue(item, context))),
            _ => ApplyTo([], context),
        };

        private FieldTree NestedFor(string name, string fullPath)
        {
            foreach (var (existingName, expression, nested) in _fields)
            {
                if (existingName == name)
                {
                    return nested ?? throw new QueryException(31249, "Path collision at " + fullPath);
                }
            }

            var created = new FieldTree();
            _fields.Add((name, null, created));
            return created;
        }
    }
}
