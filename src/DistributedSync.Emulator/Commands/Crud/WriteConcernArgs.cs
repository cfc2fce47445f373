using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// The <c>writeConcern</c> argument of a write command, validated as a standalone mongod does:
/// <c>w</c> may be 0, 1 or "majority" (a number above 1 is "cannot use 'w' &gt; 1 when a host is
/// not replicated", a tag name "cannot use non-majority 'w' mode ..."; both BadValue), <c>j</c>
/// asks for a durable (fsynced) commit, and <c>fsync: true</c> means the same.
/// </summary>
internal static class WriteConcernArgs
{
    /// <summary>True when the write must be durable before it is acknowledged (<c>j: true</c> or <c>fsync: true</c>).</summary>
    public static bool ParseDurable(BsonDocument command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.TryGetValue("writeConcern", out var value) || value.IsNull)
        {
            return false;
        }

        if (value is not BsonDocument writeConcern)
        {
            throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field 'writeConcern' is the wrong type '{CommandContext.TypeName(value)}', expected type 'object'");
        }

        var durable = false;
        foreach (var (name, field) in writeConcern)
        {
            switch (name)
            {
                case "w":
                    CheckW(field);
                    break;
                case "j":
                case "fsync":
                    durable |= Flag(name, field);
                    break;
                case "wtimeout" or "wtimeoutMS":
                    if (!field.IsNumeric && !field.IsNull)
                    {
                        throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field 'WriteConcernOptions.{name}' is the wrong type '{CommandContext.TypeName(field)}', expected types '[int, decimal, double, long]'");
                    }

                    break;
                case "getLastError" or "provenance":
                    break;
                default:
                    throw new ServerErrorException(ErrorCodes.IdlUnknownField, $"BSON field 'WriteConcernOptions.{name}' is an unknown field.");
            }
        }

        return durable;
    }

    private static void CheckW(BsonValue w)
    {
        switch (w)
        {
            case { IsNumeric: true }:
                var n = CommandArgs.ToInt64(w);
                if (n is < 0 or > 50)
                {
                    throw new ServerErrorException(ErrorCodes.FailedToParse, "w has to be a non-negative number and not greater than 50; found: " + n.ToString(CultureInfo.InvariantCulture));
                }

                if (n > 1)
                {
                    throw new ServerErrorException(ErrorCodes.BadValue, "cannot use 'w' > 1 when a host is not replicated");
                }

                break;
            case BsonString { Value: "majority" }:
                break;
            case BsonString tag:
                throw new ServerErrorException(ErrorCodes.BadValue, $"cannot use non-majority 'w' mode \"{tag.Value}\" when a host is not a member of a replica set");
            case BsonNull:
                break;
            default:
                throw new ServerErrorException(ErrorCodes.FailedToParse, "w has to be a number or string; found: " + CommandContext.TypeName(w));
        }
    }

    private static bool Flag(string name, BsonValue value) => value switch
    {
        BsonBoolean b => b.Value,
        { IsNumeric: true } => value.ToDouble() != 0,
        BsonNull => false,
        _ => throw new ServerErrorException(ErrorCodes.TypeMismatch, $"BSON field 'WriteConcernOptions.{name}' is the wrong type '{CommandContext.TypeName(value)}', expected types '[bool, long, int, decimal, double']"),
    };
}
