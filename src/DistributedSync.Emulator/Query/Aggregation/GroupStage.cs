using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>
/// <c>$group: {_id: expr, field: {$accumulator: expr}, ...}</c>. Groups are keyed by the
/// <c>_id</c> value under <see cref="BsonValueComparer"/> equality (so 1 and 1.0 share a group;
/// a missing key is null) and are output in order of first appearance.
/// </summary>
internal sealed class GroupStage : PipelineStage
{
    private readonly AggExpression _id;
    private readonly List<(string Field, string Accumulator, AggExpression Argument)> _fields;

    private GroupStage(AggExpression id, List<(string, string, AggExpression)> fields)
    {
        _id = id;
        _fields = fields;
    }

    public override string Name => "$group";

    public static GroupStage Create(BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new QueryException(15947, "a group's fields must be specified in an object");
        }

        AggExpression? id = null;
        var fields = new List<(string, string, AggExpression)>();
        foreach (var (name, value) in spec)
        {
            if (name == "_id")
            {
                id = AggExpression.Parse(value);
                continue;
            }

            if (name.StartsWith('$'))
            {
                throw new QueryException(40236, $"The field name '{name}' cannot be an operator name");
            }

            if (name.Contains('.', StringComparison.Ordinal))
            {
                throw new QueryException(40235, $"The field name '{name}' cannot contain '.'");
            }

            if (value is not BsonDocument accumulator)
            {
                throw new QueryException(40234, $"The field '{name}' must be an accumulator object");
            }

            if (accumulator.Count != 1)
            {
                throw new QueryException(40238, $"The field '{name}' must specify one accumulator");
            }

            var (op, argument) = accumulator[0];
            if (!Accumulators.IsKnown(op))
            {
                throw new QueryException(15952, $"unknown group operator '{op}'");
            }

            if (op == "$count")
            {
                if (argument is not BsonDocument { Count: 0 })
                {
                    throw new QueryException(QueryErrorCodes.TypeMismatch, "$count takes no arguments, i.e. $count:{}");
                }

                argument = 1;
            }

            fields.Add((name, op, AggExpression.Parse(argument)));
        }

        return new GroupStage(id ?? throw new QueryException(15955, "a group specification must include an _id"), fields);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        var groups = new Dictionary<BsonValue, IAccumulator[]>(BsonValueComparer.Instance);
        var order = new List<BsonValue>();
        foreach (var doc in input)
        {
            var context = new ExpressionContext(doc);
            var key = _id.Evaluate(context) ?? BsonNull.Value;
            if (!groups.TryGetValue(key, out var accumulators))
            {
                accumulators = [.. _fields.Select(f => Accumulators.Create(f.Accumulator))];
                groups.Add(key, accumulators);
                order.Add(key);
            }

            for (var i = 0; i < _fields.Count; i++)
            {
                accumulators[i].Add(_fields[i].Argument.Evaluate(context));
            }
        }

        foreach (var key in order)
        {
            var accumulators = groups[key];
            var result = new BsonDocument(_fields.Count + 1) { { "_id", key } };
            for (var i = 0; i < _fields.Count; i++)
            {
                result.Add(_fields[i].Field, accumulators[i].Result());
            }

            yield return result;
        }
    }
}
