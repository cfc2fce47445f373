using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query;

/// <summary>The <c>$type</c> names and numbers of BSON types.</summary>
internal static class TypeAliases
{
    private static readonly Dictionary<string, BsonType> ByAlias = new(StringComparer.Ordinal)
    {
        ["double"] = BsonType.Double,
        ["string"] = BsonType.String,
        ["object"] = BsonType.Document,
        ["array"] = BsonType.Array,
        ["binData"] = BsonType.Binary,
        ["undefined"] = BsonType.Undefined,
        ["objectId"] = BsonType.ObjectId,
        ["bool"] = BsonType.Boolean,
        ["date"] = BsonType.DateTime,
        ["null"] = BsonType.Null,
        ["regex"] = BsonType.RegularExpression,
        ["dbPointer"] = BsonType.DbPointer,
        ["javascript"] = BsonType.JavaScript,
        ["symbol"] = BsonType.Symbol,
        ["javascriptWithScope"] = BsonType.JavaScriptWithScope,
        ["int"] = BsonType.Int32,
        ["timestamp"] = BsonType.Timestamp,
        ["long"] = BsonType.Int64,
        ["decimal"] = BsonType.Decimal128,
        ["minKey"] = BsonType.MinKey,
        ["maxKey"] = BsonType.MaxKey,
    };

    /// <summary>The type for an alias such as "int" ("number" is not a single type and gives null).</summary>
    public static BsonType? FromAlias(string alias) => ByAlias.TryGetValue(alias, out var t) ? t : null;

    /// <summary>The type for a numeric code (1-19, -1 MinKey, 127 MaxKey).</summary>
    public static bool TryFromCode(int code, out BsonType type)
    {
        type = code switch
        {
            -1 => BsonType.MinKey,
            127 => BsonType.MaxKey,
            _ => (BsonType)(byte)Math.Clamp(code, 0, 255),
        };
        return code is -1 or 127 or (>= 1 and <= 19);
    }
}
