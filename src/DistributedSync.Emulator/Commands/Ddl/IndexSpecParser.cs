using DistributedSync.Bson;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// Validates and normalizes one index specification of <c>createIndexes</c> as mongod does:
/// <c>key</c> and <c>name</c> are required, key values are non-zero numbers (1, -1, ...), the
/// spec is rewritten as <c>{v: 2, key, name, ...options}</c>. Errors read "Error in
/// specification {spec} :: caused by :: ...". Ascending/descending indexes with
/// <c>unique</c>, <c>sparse</c>, <c>hidden</c>, <c>expireAfterSeconds</c> (stored, not
/// enforced) are supported; other index types and options are NotImplemented.
/// </summary>
internal static class IndexSpecParser
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "key", "name", "v", "unique", "sparse", "background", "hidden", "expireAfterSeconds", "ns", "dropDups",
    };

    private static readonly HashSet<string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        "partialFilterExpression", "collation", "weights", "default_language", "language_override", "textIndexVersion",
        "2dsphereIndexVersion", "bits", "min", "max", "bucketSize", "storageEngine", "wildcardProjection",
        "coarsestIndexedLevel", "finestIndexedLevel", "prepareUnique", "clustered", "columnstoreProjection",
        "originalSpec",
    };

    /// <summary>The index definition for <paramref name="value"/> (an element of <c>indexes</c> at <paramref name="position"/>).</summary>
    public static IndexDefinition Parse(BsonValue value, int position)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is not BsonDocument spec)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch,
                $"BSON field 'createIndexes.indexes.{position}' is the wrong type '{CommandContext.TypeName(value)}', expected type 'object'");
        }

        if (spec.GetValueOrDefault("key") is not { } keyValue)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, $"Error in specification {BsonText.Value(spec)} :: caused by :: The 'key' field is a required property of an index specification");
        }

        if (keyValue is not BsonDocument key)
        {
            throw InSpec(ErrorCodes.TypeMismatch, spec, "The field 'key' must be an object, but got " + CommandContext.TypeName(keyValue));
        }

        if (spec.GetValueOrDefault("name") is not { } nameValue)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, $"Error in specification {BsonText.Value(spec)} :: caused by :: The 'name' field is a required property of an index specification");
        }

        if (nameValue is not BsonString { Value: var name })
        {
            throw InSpec(ErrorCodes.TypeMismatch, spec, "The field 'name' must be a string, but got " + CommandContext.TypeName(nameValue));
        }

        if (name.Length == 0)
        {
            throw InSpec(ErrorCodes.CannotCreateIndex, spec, "index name cannot be empty");
        }

        CheckKey(spec, key);
        var unique = Flag(spec, "unique");
        var sparse = Flag(spec, "sparse");
        foreach (var (field, _) in spec)
        {
            if (KnownUnsupported.Contains(field))
            {
                throw new ServerErrorException(ErrorCodes.NotImplemented, $"The emulator does not support the index option '{field}'.");
            }

            if (!Supported.Contains(field))
            {
                throw new ServerErrorException(ErrorCodes.InvalidIndexSpecificationOption,
                    $"The field '{field}' is not valid for an index specification. Specification: {BsonText.Value(WithVersion(spec))}");
            }
        }

        if (name == "_id_" || IsIdKey(key))
        {
            if (spec.Contains("unique") || spec.Contains("sparse"))
            {
                var option = spec.Contains("unique") ? "unique" : "sparse";
                throw new ServerErrorException(ErrorCodes.InvalidIndexSpecificationOption,
                    $"The field '{option}' is not valid for an _id index specification. Specification: {BsonText.Value(WithVersion(spec))}");
            }
        }

        return new IndexDefinition(name, key, unique, sparse, Normalize(spec));
    }

    /// <summary>The spec as mongod reports it: <c>{v, key, name}</c> first, then the other options in the given order.</summary>
    public static BsonDocument Normalize(BsonDocument spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var normalized = new BsonDocument
        {
            { "v", spec.GetValueOrDefault("v") is { IsNumeric: true } v ? (int)v.ToInt64() : 2 },
            { "key", spec["key"] },
            { "name", spec["name"] },
        };
        foreach (var (field, value) in spec)
        {
            if (field is not ("v" or "key" or "name" or "ns" or "background" or "dropDups"))
            {
                normalized.Add(field, value);
            }
        }

        return normalized;
    }

    /// <summary>True for the key pattern of the <c>_id</c> index.</summary>
    public static bool IsIdKey(BsonDocument key)
        => key.Count == 1 && key[0].Name == "_id" && key[0].Value.IsNumeric && key[0].Value.ToDouble() == 1;

    /// <summary>mongod's "Error in specification" wrapper.</summary>
    public static ServerErrorException InSpec(int code, BsonDocument spec, string reason)
        => new(code, $"Error in specification {BsonText.Value(WithVersion(spec))} :: caused by :: {reason}");

    private static void CheckKey(BsonDocument spec, BsonDocument key)
    {
        if (key.Count == 0)
        {
            throw InSpec(ErrorCodes.CannotCreateIndex, spec, "Index keys cannot be empty.");
        }

        foreach (var (field, value) in key)
        {
            if (field.Length == 0)
            {
                throw InSpec(ErrorCodes.CannotCreateIndex, spec, "Index keys cannot be an empty field.");
            }

            if (field.StartsWith('$'))
            {
                throw InSpec(ErrorCodes.CannotCreateIndex, spec, "Index key contains an illegal field name: field name starts with '$'.");
            }

            switch (value)
            {
                case { IsNumeric: true } when value.ToDouble() == 0 || double.IsNaN(value.ToDouble()):
                    throw InSpec(ErrorCodes.CannotCreateIndex, spec, "Values in the index key pattern can't be 0.");
                case { IsNumeric: true }:
                    break;
                case BsonString special:
                    throw new ServerErrorException(ErrorCodes.NotImplemented, $"The emulator does not support '{special.Value}' indexes.");
                default:
                    throw InSpec(ErrorCodes.CannotCreateIndex, spec,
                        $"Values in v:2 index key pattern cannot be of type {CommandContext.TypeName(value)}. Only numbers > 0, numbers < 0, and strings are allowed.");
            }
        }
    }

    private static bool Flag(BsonDocument spec, string field)
    {
        var value = spec.GetValueOrDefault(field);
        return value switch
        {
            null => false,
            BsonBoolean or { IsNumeric: true } or BsonNull => value.ToBoolean(),
            _ => throw new ServerErrorException(ErrorCodes.TypeMismatch,
                $"Error in specification {BsonText.Value(spec)} :: caused by :: The field '{field} has value {BsonText.Element(field, value)}, which is not convertible to bool"),
        };
    }

    // mongod prints the spec with the index version it filled in.
    private static BsonDocument WithVersion(BsonDocument spec)
    {
        if (spec.Contains("v"))
        {
            return spec;
        }

        var copy = new BsonDocument(spec.Count + 1);
        foreach (var (name, value) in spec)
        {
            copy.Add(name, value);
        }

        copy.Add("v", 2);
        return copy;
    }
}
