using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Projection;
using DistributedSync.Emulator.Query.Sort;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary><c>$match</c>.</summary>
internal sealed class MatchStage(FilterMatcher matcher) : PipelineStage
{
    public override string Name => "$match";

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) => input.Where(matcher.Matches);
}

/// <summary><c>$project</c> and <c>$unset</c>.</summary>
internal sealed class ProjectStage(ProjectionSpec projection, string name = "$project") : PipelineStage
{
    public override string Name => name;

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input) => input.Select(projection.Apply);
}

/// <summary><c>$sort</c> (stable).</summary>
internal sealed class SortStage(SortSpec sort) : PipelineStage
{
    public override string Name => "$sort";

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var doc in sort.Sort(input))
        {
            yield return doc;
        }
    }
}

/// <summary><c>$skip</c>.</summary>
internal sealed class SkipStage(long count) : PipelineStage
{
    public override string Name => "$skip";

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        long seen = 0;
        foreach (var doc in input)
        {
            if (seen++ >= count)
            {
                yield return doc;
            }
        }
    }
}

/// <summary><c>$limit</c>.</summary>
internal sealed class LimitStage(long count) : PipelineStage
{
    public override string Name => "$limit";

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        if (count <= 0)
        {
            yield break;
        }

        long taken = 0;
        foreach (var doc in input)
        {
            yield return doc;
            if (++taken >= count)
            {
                yield break;
            }
        }
    }
}

/// <summary><c>$count: "name"</c>: one document <c>{name: n}</c>, or nothing for empty input.</summary>
internal sealed class CountStage(string field) : PipelineStage
{
    public override string Name => "$count";

    public static CountStage Create(BsonValue arg)
    {
        if (arg is not BsonString { Value.Length: > 0 } s)
        {
            throw new QueryException(40156, "the count field must be a non-empty string");
        }

        if (s.Value.StartsWith('$'))
        {
            throw new QueryException(40158, "the count field cannot be a $-prefixed path");
        }

        if (s.Value.Contains('.', StringComparison.Ordinal))
        {
            throw new QueryException(40160, "the count field cannot contain '.'");
        }

        return new CountStage(s.Value);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        long n = 0;
        foreach (var unused in input)
        {
            n++;
        }

        if (n > 0)
        {
            yield return new BsonDocument(field, n <= int.MaxValue ? (BsonValue)(int)n : n);
        }
    }
}

/// <summary><c>$replaceRoot: {newRoot: expr}</c> and <c>$replaceWith: expr</c>.</summary>
internal sealed class ReplaceRootStage(AggExpression newRoot, string what) : PipelineStage
{
    public override string Name => "$replaceRoot";

    public static ReplaceRootStage Create(BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new QueryException(40228, $"expected an object as specification for $replaceRoot stage, got {BsonText.TypeName(arg.Type)}");
        }

        foreach (var name in spec.Names)
        {
            if (name != "newRoot")
            {
                throw new QueryException(40415, $"BSON field '$replaceRoot.{name}' is an unknown field.");
            }
        }

        var expression = spec.GetValueOrDefault("newRoot")
            ?? throw new QueryException(40414, "BSON field '$replaceRoot.newRoot' is missing but a required field");
        return new ReplaceRootStage(AggExpression.Parse(expression), "'newRoot' expression");
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var doc in input)
        {
            var value = newRoot.Evaluate(doc);
            if (value is not BsonDocument replacement)
            {
                var shown = value is null ? "MISSING" : BsonText.Value(value);
                throw new QueryException(40228,
                    $"{what} must evaluate to an object, but resulting value was: {shown}. Type of resulting value: '{BsonText.TypeName(value)}'. Input document: {BsonText.Value(doc)}");
            }

            yield return replacement;
        }
    }
}
