using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// Reads command arguments the way mongod's IDL parsers do, with their error codes and wording:
/// wrong types are TypeMismatch (14) "BSON field 'find.limit' is the wrong type 'string', ...",
/// missing required fields 40414, unknown fields 40415, range validators 51024.
/// </summary>
internal static class CommandArgs
{
    /// <summary>The numeric types of mongod's <c>safeInt64</c> and friends, as its messages list them (the stray quote is mongod's).</summary>
    public const string NumberTypes = "'[long, int, decimal, double']";

    // Arguments every command accepts (mongod's generic arguments); any "$"-prefixed name is generic too.
    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "apiVersion", "apiStrict", "apiDeprecationErrors", "maxTimeMS", "readConcern", "writeConcern",
        "lsid", "clientOperationKey", "txnNumber", "autocommit", "startTransaction", "stmtId", "comment",
        "allowImplicitCollectionCreation", "databaseVersion", "help", "shardVersion", "tracking_info",
        "coordinator", "maxTimeMSOpOnly", "usesDefaultMaxTimeMS", "txnRetryCounter", "mayBypassWriteBlocking",
        "expectPrefix", "readPreference",
    };

    /// <summary>The collection named by the command's first field (a non-empty string).</summary>
    public static string CollectionName(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CommandValue is not BsonString name)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "collection name has invalid type " + CommandContext.TypeName(context.CommandValue));
        }

        if (name.Value.Length == 0)
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, $"Invalid namespace specified '{context.DatabaseName}.'");
        }

        return name.Value;
    }

    /// <summary>
    /// Rejects fields that are neither <paramref name="known"/> nor generic arguments (mongod's
    /// strict IDL commands), from field <paramref name="first"/> on (1 skips the command name).
    /// </summary>
    public static void RejectUnknown(BsonDocument command, string commandName, IReadOnlySet<string> known, int first = 1)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(known);
        for (var i = first; i < command.Count; i++)
        {
            var name = command[i].Name;
            if (!known.Contains(name) && !Generic.Contains(name) && !name.StartsWith('$'))
            {
                throw new ServerErrorException(ErrorCodes.IdlUnknownField, $"BSON field '{commandName}.{name}' is an unknown field.");
            }
        }
    }

    /// <summary>An optional boolean (bool or number, null meaning absent).</summary>
    public static bool? Bool(BsonDocument command, string commandName, string field)
    {
        var value = Present(command, field);
        return value switch
        {
            null => null,
            BsonBoolean b => b.Value,
            { IsNumeric: true } => value.ToDouble() != 0,
            _ => throw WrongType(commandName, field, value, "types '[bool, long, int, decimal, double']"),
        };
    }

    /// <summary>An optional 64-bit integer (any numeric type, fractions truncated, null meaning absent).</summary>
    public static long? Int64(BsonDocument command, string commandName, string field)
    {
        var value = Present(command, field);
        if (value is null)
        {
            return null;
        }

        return value.IsNumeric ? ToInt64(value) : throw WrongType(commandName, field, value, "types " + NumberTypes);
    }

    /// <summary>An optional integer that must be at least <paramref name="minimum"/> (mongod's 51024 validator error).</summary>
    public static long? Int64AtLeast(BsonDocument command, string commandName, string field, long minimum)
    {
        var value = Int64(command, commandName, field);
        if (value < minimum)
        {
            throw new ServerErrorException(51024, $"BSON field '{field}' value must be >= {minimum.ToString(CultureInfo.InvariantCulture)}, actual value '{value.Value.ToString(CultureInfo.InvariantCulture)}'");
        }

        return value;
    }

    /// <summary>An optional document (null meaning absent).</summary>
    public static BsonDocument? Document(BsonDocument command, string commandName, string field)
    {
        var value = Present(command, field);
        return value switch
        {
            null => null,
            BsonDocument d => d,
            _ => throw WrongType(commandName, field, value, "type 'object'"),
        };
    }

    /// <summary>An optional string (null meaning absent).</summary>
    public static string? String(BsonDocument command, string commandName, string field)
    {
        var value = Present(command, field);
        return value switch
        {
            null => null,
            BsonString s => s.Value,
            _ => throw WrongType(commandName, field, value, "type 'string'"),
        };
    }

    /// <summary>An optional array (null meaning absent).</summary>
    public static BsonArray? Array(BsonDocument command, string commandName, string field)
    {
        var value = Present(command, field);
        return value switch
        {
            null => null,
            BsonArray a => a,
            _ => throw WrongType(commandName, field, value, "type 'array'"),
        };
    }

    /// <summary>mongod's "missing but a required field" error (40414).</summary>
    public static ServerErrorException Missing(string commandName, string field)
        => new(ErrorCodes.IdlMissingField, $"BSON field '{commandName}.{field}' is missing but a required field");

    /// <summary>mongod's TypeMismatch for a field; <paramref name="expected"/> is e.g. "type 'object'".</summary>
    public static ServerErrorException WrongType(string commandName, string field, BsonValue value, string expected)
        => new(ErrorCodes.TypeMismatch, $"BSON field '{commandName}.{field}' is the wrong type '{CommandContext.TypeName(value)}', expected {expected}");

    /// <summary>
    /// The <c>maxTimeMS</c> argument in milliseconds, or null when absent or 0 (no limit), with
    /// mongod's checks: a number, integral, within [0, 2147483647].
    /// </summary>
    public static int? MaxTimeMs(BsonDocument command, string commandName)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.TryGetValue("maxTimeMS", out var value))
        {
            return null;
        }

        if (value.IsNull)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "maxTimeMS must be a number");
        }

        if (!value.IsNumeric)
        {
            throw WrongType(commandName, "maxTimeMS", value, "types " + NumberTypes);
        }

        if (value is BsonDouble d && !double.IsInfinity(d.Value) && d.Value != Math.Floor(d.Value))
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "maxTimeMS has non-integral value");
        }

        var ms = ToInt64(value);
        if (ms is < 0 or > int.MaxValue)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, $"{ms.ToString(CultureInfo.InvariantCulture)} value for maxTimeMS is out of range [0, 2147483647]");
        }

        return ms == 0 ? null : (int)ms;
    }

    /// <summary>
    /// Accepts only the simple collation (absent, empty or <c>{locale: "simple"}</c>): the
    /// emulator compares strings by code point, so any other collation would give wrong answers.
    /// </summary>
    public static void RequireSimpleCollation(BsonDocument command, string commandName)
    {
        var collation = Document(command, commandName, "collation");
        if (collation is null || collation.Count == 0)
        {
            return;
        }

        if (collation.Count == 1 && collation.GetValueOrDefault("locale") is BsonString { Value: "simple" })
        {
            return;
        }

        throw new ServerErrorException(ErrorCodes.NotImplemented, "The emulator supports only the simple collation ({locale: \"simple\"}); requested: " + Query.BsonText.Value(collation));
    }

    /// <summary>A number as a 64-bit integer, truncated and saturated like mongod's safeNumberLong.</summary>
    public static long ToInt64(BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            BsonInt32 i => i.Value,
            BsonInt64 l => l.Value,
            BsonDouble d => double.IsNaN(d.Value) ? 0 : d.Value >= 9.2233720368547758E18 ? long.MaxValue : d.Value <= -9.2233720368547758E18 ? long.MinValue : (long)d.Value,
            _ => value.ToInt64(),
        };
    }

    private static BsonValue? Present(BsonDocument command, string field)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.TryGetValue(field, out var value) && !value.IsNull ? value : null;
    }
}
