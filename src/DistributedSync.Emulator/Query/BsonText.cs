using System.Globalization;
using System.Text;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query;

/// <summary>
/// mongod's names for BSON types and its debug rendering of values, used to word error messages
/// the way mongod does.
/// </summary>
internal static class BsonText
{
    /// <summary>mongod's type name (the <c>$type</c> alias): "int", "string", "object", ...</summary>
    public static string TypeName(BsonType type) => type switch
    {
        BsonType.Double => "double",
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Binary => "binData",
        BsonType.Undefined => "undefined",
        BsonType.ObjectId => "objectId",
        BsonType.Boolean => "bool",
        BsonType.DateTime => "date",
        BsonType.Null => "null",
        BsonType.RegularExpression => "regex",
        BsonType.DbPointer => "dbPointer",
        BsonType.JavaScript => "javascript",
        BsonType.Symbol => "symbol",
        BsonType.JavaScriptWithScope => "javascriptWithScope",
        BsonType.Int32 => "int",
        BsonType.Timestamp => "timestamp",
        BsonType.Int64 => "long",
        BsonType.Decimal128 => "decimal",
        BsonType.MinKey => "minKey",
        BsonType.MaxKey => "maxKey",
        _ => "unknown",
    };

    /// <summary>Type name of a possibly missing value ("missing" when absent).</summary>
    public static string TypeName(BsonValue? value) => value is null ? "missing" : TypeName(value.Type);

    /// <summary>Renders a value like mongod's BSONElement::toString (without the field name).</summary>
    public static string Value(BsonValue value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    /// <summary>Renders <c>name: value</c>.</summary>
    public static string Element(string name, BsonValue value) => name + ": " + Value(value);

    /// <summary>Renders the <c>{_id: ...}</c> of a document as mongod puts it in update errors.</summary>
    public static string IdOf(BsonDocument doc)
        => doc.TryGetValue("_id", out var id) ? "{" + Element("_id", id) + "}" : "{}";

    private static void Append(StringBuilder sb, BsonValue value)
    {
        switch (value)
        {
            case BsonDocument d:
                if (d.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }

                sb.Append("{ ");
                var first = true;
                foreach (var e in d)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(e.Name).Append(": ");
                    Append(sb, e.Value);
                }

                sb.Append(" }");
                return;
            case BsonArray a:
                if (a.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }

                sb.Append("[ ");
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Append(sb, a[i]);
                }

                sb.Append(" ]");
                return;
            case BsonString s:
                sb.Append('"').Append(s.Value).Append('"');
                return;
            case BsonInt32 i32:
                sb.Append(i32.Value.ToString(CultureInfo.InvariantCulture));
                return;
            case BsonInt64 i64:
                sb.Append(i64.Value.ToString(CultureInfo.InvariantCulture));
                return;
            case BsonDouble dbl:
                sb.Append(FormatDouble(dbl.Value));
                return;
            case BsonDecimal128 dec:
                sb.Append("NumberDecimal(\"").Append(dec.Value.ToString()).Append("\")");
                return;
            case BsonBoolean b:
                sb.Append(b.Value ? "true" : "false");
                return;
            case BsonNull:
                sb.Append("null");
                return;
            case BsonUndefined:
                sb.Append("undefined");
                return;
            case BsonObjectId oid:
                sb.Append("ObjectId('").Append(oid.Value.ToString()).Append("')");
                return;
            case BsonDateTime dt:
                sb.Append("new Date(").Append(dt.MillisecondsSinceEpoch.ToString(CultureInfo.InvariantCulture)).Append(')');
                return;
            case BsonRegularExpression r:
                sb.Append('/').Append(r.Pattern).Append('/').Append(r.Options);
                return;
            case BsonTimestamp ts:
                sb.Append("Timestamp(").Append(ts.Seconds.ToString(CultureInfo.InvariantCulture)).Append(", ")
                  .Append(ts.Increment.ToString(CultureInfo.InvariantCulture)).Append(')');
                return;
            case BsonMinKey:
                sb.Append("MinKey");
                return;
            case BsonMaxKey:
                sb.Append("MaxKey");
                return;
            default:
                sb.Append(TypeName(value.Type));
                return;
        }
    }

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan.0";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf.0" : "-inf.0";
        }

        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }
}
