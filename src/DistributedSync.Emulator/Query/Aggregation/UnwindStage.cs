using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Aggregation;

/// <summary>
/// <c>$unwind</c>: one output document per element of the array at the path (the element
/// replaces the array). A non-array, non-null value passes through as if it were a one-element
/// array; null, missing and empty arrays produce nothing unless
/// <c>preserveNullAndEmptyArrays</c> is set. <c>includeArrayIndex</c> adds the index as a long
/// (null when the value was not an array).
/// </summary>
internal sealed class UnwindStage : PipelineStage
{
    private readonly string[] _path;
    private readonly string? _indexField;
    private readonly bool _preserve;

    private UnwindStage(string[] path, string? indexField, bool preserve)
    {
        _path = path;
        _indexField = indexField;
        _preserve = preserve;
    }

    public override string Name => "$unwind";

    public static UnwindStage Create(BsonValue arg)
    {
        string? path = null;
        string? indexField = null;
        var preserve = false;
        switch (arg)
        {
            case BsonString s:
                path = s.Value;
                break;
            case BsonDocument spec:
                foreach (var (name, value) in spec)
                {
                    switch (name)
                    {
                        case "path":
                            path = value is BsonString p
                                ? p.Value
                                : throw new QueryException(28808, $"expected a string as the path for $unwind stage, got {BsonText.TypeName(value.Type)}");
                            break;
                        case "includeArrayIndex":
                            indexField = value is BsonString i
                                ? i.Value
                                : throw new QueryException(28810, $"expected a non-empty string for the includeArrayIndex option to $unwind stage, got {BsonText.TypeName(value.Type)}");
                            if (indexField.Length == 0)
                            {
                                throw new QueryException(28810, "expected a non-empty string for the includeArrayIndex option to $unwind stage, got string");
                            }

                            if (indexField.StartsWith('$'))
                            {
                                throw new QueryException(28822, $"includeArrayIndex option to $unwind stage should not be prefixed with a '$': {indexField}");
                            }

                            break;
                        case "preserveNullAndEmptyArrays":
                            preserve = value is BsonBoolean b
                                ? b.Value
                                : throw new QueryException(28809, $"expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage, got {BsonText.TypeName(value.Type)}");
                            break;
                        default:
                            throw new QueryException(28811, $"unrecognized option to $unwind stage: {name}");
                    }
                }

                if (path is null)
                {
                    throw new QueryException(28812, "no path specified to $unwind stage");
                }

                break;
            default:
                throw new QueryException(15981, $"expected either a string or an object as specification for $unwind stage, got {BsonText.TypeName(arg.Type)}");
        }

        if (!path.StartsWith('$'))
        {
            throw new QueryException(28818, $"path option to $unwind stage should be prefixed with a '$': {path}");
        }

        return new UnwindStage(FieldNames.ValidatePath(path[1..]), indexField, preserve);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var doc in input)
        {
            var value = PathSupport.GetDocumentPath(doc, _path);
            if (value is BsonArray array && array.Count > 0)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    yield return Build(doc, array[i], new BsonInt64(i));
                }
            }
            else if (value is BsonArray || value is null || value.IsNull)
            {
                if (_preserve)
                {
                    // A missing field stays missing, null stays null and an empty array is removed.
                    yield return value is null ? BuildMissing(doc) : Build(doc, value is BsonArray ? null : value, BsonNull.Value);
                }
            }
            else
            {
                yield return Build(doc, value, BsonNull.Value);
            }
        }
    }

    private BsonDocument Build(BsonDocument doc, BsonValue? element, BsonValue index)
    {
        var copy = SetPath(doc, 0, element);
        if (_indexField is not null)
        {
            copy = SetPath(copy, _indexField.Split('.'), 0, index);
        }

        return copy;
    }

    private BsonDocument BuildMissing(BsonDocument doc)
        => _indexField is null ? doc : SetPath(doc, _indexField.Split('.'), 0, BsonNull.Value);

    private BsonDocument SetPath(BsonDocument doc, int depth, BsonValue? value) => SetPath(doc, _path, depth, value);

    /// <summary>A copy of <paramref name="doc"/> with the path set (or removed when value is null), copying only the documents on the path.</summary>
    private static BsonDocument SetPath(BsonDocument doc, string[] path, int depth, BsonValue? value)
    {
        var copy = new BsonDocument(doc.Count + 1);
        foreach (var e in doc)
        {
            copy.Add(e.Name, e.Value);
        }

        var name = path[depth];
        if (depth == path.Length - 1)
        {
            if (value is null)
            {
                copy.Remove(name);
            }
            else
            {
                copy.Set(name, value);
            }

            return copy;
        }

        var inner = copy.GetValueOrDefault(name) as BsonDocument ?? [];
        copy.Set(name, SetPath(inner, path, depth + 1, value));
        return copy;
    }
}
