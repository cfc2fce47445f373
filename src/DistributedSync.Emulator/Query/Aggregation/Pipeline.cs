using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Projection;
using DistributedSync.Emulator.Query.Sort;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>One stage of an aggregation pipeline.</summary>
internal abstract class PipelineStage
{
    /// <summary>The stage name ("$match", ...).</summary>
    public abstract string Name { get; }

    /// <summary>Transforms the stream. Input documents are never modified.</summary>
    public abstract IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input);
}

/// <summary>
/// A compiled aggregation pipeline over documents in memory. Supported stages: $match,
/// $project, $addFields/$set, $unset, $sort, $skip, $limit, $group, $unwind, $replaceRoot,
/// $replaceWith, $count. Stages stream where they can ($sort and $group consume their input).
/// </summary>
internal sealed class Pipeline
{
    private Pipeline(IReadOnlyList<PipelineStage> stages) => Stages = stages;

    /// <summary>The stages in order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; }

    /// <summary>Parses a pipeline, raising mongod's errors (40323, 40324, ...).</summary>
    public static Pipeline Compile(BsonArray stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var compiled = new List<PipelineStage>(stages.Count);
        foreach (var item in stages)
        {
            if (item is not BsonDocument spec)
            {
                throw QueryException.TypeMismatch("Each element of the 'pipeline' array must be an object");
            }

            if (spec.Count != 1)
            {
                throw new QueryException(40323, "A pipeline stage specification object must contain exactly one field.");
            }

            compiled.Add(CreateStage(spec[0].Name, spec[0].Value));
        }

        return new Pipeline(compiled);
    }

    /// <summary>Runs the pipeline lazily over <paramref name="input"/>.</summary>
    public IEnumerable<BsonDocument> Run(IEnumerable<BsonDocument> input)
    {
        var stream = input;
        foreach (var stage in Stages)
        {
            stream = stage.Apply(stream);
        }

        return stream;
    }

    private static PipelineStage CreateStage(string name, BsonValue arg) => name switch
    {
        "$match" => new MatchStage(arg is BsonDocument filter
            ? FilterMatcher.Compile(filter)
            : throw new QueryException(15959, "the match filter must be an expression in an object")),
        "$project" => new ProjectStage(CompileProjection(arg)),
        "$addFields" or "$set" => AddFieldsStage.Create(name, arg),
        "$unset" => new ProjectStage(CompileUnset(arg), "$unset"),
        "$sort" => new SortStage(CompileSort(arg)),
        "$skip" => new SkipStage(NonNegative(arg)),
        "$limit" => new LimitStage(Positive(arg)),
        "$group" => GroupStage.Create(arg),
        "$unwind" => UnwindStage.Create(arg),
        "$replaceRoot" => ReplaceRootStage.Create(arg),
        "$replaceWith" => new ReplaceRootStage(AggExpression.Parse(arg), "'replacement document'"),
        "$count" => CountStage.Create(arg),
        _ => throw new QueryException(40324, $"Unrecognized pipeline stage name: '{name}'"),
    };

    private static ProjectionSpec CompileProjection(BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new QueryException(15969, "$project specification must be an object");
        }

        try
        {
            return ProjectionSpec.Compile(spec, ProjectionMode.Aggregation);
        }
        catch (QueryException e)
        {
            throw new QueryException(e.Code, "Invalid $project :: caused by :: " + e.Message);
        }
    }

    private static ProjectionSpec CompileUnset(BsonValue arg)
    {
        var names = arg switch
        {
            BsonString s => [s.Value],
            BsonArray { Count: 0 } => throw new QueryException(31119, "$unset specification must be a string or an array with at least one field"),
            BsonArray a => a.Select(v => v is BsonString s
                ? s.Value
                : throw new QueryException(31120, "$unset specification must be a string or an array containing only string values")).ToList(),
            _ => throw new QueryException(31002, "$unset specification must be a string or an array"),
        };
        var spec = new BsonDocument();
        foreach (var n in names)
        {
            spec.Set(n, 0);
        }

        return ProjectionSpec.Compile(spec, ProjectionMode.Aggregation);
    }

    private static SortSpec CompileSort(BsonValue arg)
    {
        if (arg is not BsonDocument spec)
        {
            throw new QueryException(15973, "the $sort key specification must be an object");
        }

        if (spec.Count == 0)
        {
            throw new QueryException(15976, "$sort stage must have at least one sort key");
        }

        return SortSpec.Compile(spec);
    }

    private static long NonNegative(BsonValue arg)
    {
        if (!arg.IsNumeric || arg.ToDouble() != Math.Floor(arg.ToDouble()))
        {
            throw new QueryException(5107200, $"invalid argument to $skip stage: Expected an integer: $skip: {BsonText.Value(arg)}");
        }

        return arg.ToInt64() >= 0
            ? arg.ToInt64()
            : throw new QueryException(5107200, $"invalid argument to $skip stage: Expected a non-negative number in: $skip: {BsonText.Value(arg)}");
    }

    private static long Positive(BsonValue arg)
    {
        if (!arg.IsNumeric || arg.ToDouble() != Math.Floor(arg.ToDouble()))
        {
            throw new QueryException(5107201, $"invalid argument to $limit stage: Expected an integer: $limit: {BsonText.Value(arg)}");
        }

        return arg.ToInt64() > 0
            ? arg.ToInt64()
            : throw new QueryException(15958, "the limit must be positive");
    }
}
