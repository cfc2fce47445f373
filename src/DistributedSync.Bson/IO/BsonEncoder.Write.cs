namespace DistributedSync.Bson.IO;

/// <summary>The writing pass: consumes the sizes the planning pass recorded, in the same order.</summary>
internal static partial class BsonEncoder
{
    private static void WriteDocument(ref BufferCursor cursor, BsonDocument document, EncodePlan plan)
    {
        cursor.WriteInt32(plan.Next());
        for (var i = 0; i < document.Count; i++)
        {
            var element = document[i];
            var value = element.Value;
            cursor.WriteByte((byte)value.Type);
            cursor.WriteCString(element.Name);
            WriteValue(ref cursor, value, plan);
        }

        cursor.WriteByte(0);
    }

    private static void WriteArray(ref BufferCursor cursor, BsonArray array, EncodePlan plan)
    {
        cursor.WriteInt32(plan.Next());
        for (var i = 0; i < array.Count; i++)
        {
            var value = array[i];
            var digits = DigitCount(i);
            var header = cursor.Take(digits + 2);
            header[0] = (byte)value.Type;
            WriteDigits(header.Slice(1, digits), i);
            header[digits + 1] = 0;
            WriteValue(ref cursor, value, plan);
        }

        cursor.WriteByte(0);
    }

    private static void WriteValue(ref BufferCursor cursor, BsonValue value, EncodePlan plan)
    {
        switch (value.Type)
        {
            case BsonType.Double:
                cursor.WriteDouble(((BsonDouble)value).Value);
                break;
            case BsonType.String:
                WriteString(ref cursor, ((BsonString)value).Value, plan);
                break;
            case BsonType.Document:
                WriteDocument(ref cursor, (BsonDocument)value, plan);
                break;
            case BsonType.Array:
                WriteArray(ref cursor, (BsonArray)value, plan);
                break;
            case BsonType.Binary:
                WriteBinary(ref cursor, (BsonBinaryData)value);
                break;
            case BsonType.Undefined or BsonType.Null or BsonType.MinKey or BsonType.MaxKey:
                break;
            case BsonType.ObjectId:
                ((BsonObjectId)value).Value.WriteTo(cursor.Take(12));
                break;
            case BsonType.Boolean:
                cursor.WriteByte(((BsonBoolean)value).Value ? (byte)1 : (byte)0);
                break;
            case BsonType.DateTime:
                cursor.WriteInt64(((BsonDateTime)value).MillisecondsSinceEpoch);
                break;
            case BsonType.RegularExpression:
                var regex = (BsonRegularExpression)value;
                cursor.WriteCString(regex.Pattern);
                cursor.WriteCString(regex.Options);
                break;
            case BsonType.DbPointer:
                var pointer = (BsonDbPointer)value;
                WriteString(ref cursor, pointer.Namespace, plan);
                pointer.Id.WriteTo(cursor.Take(12));
                break;
            case BsonType.JavaScript:
                WriteString(ref cursor, ((BsonJavaScript)value).Code, plan);
                break;
            case BsonType.Symbol:
                WriteString(ref cursor, ((BsonSymbol)value).Name, plan);
                break;
            case BsonType.JavaScriptWithScope:
                var code = (BsonJavaScriptWithScope)value;
                cursor.WriteInt32(plan.Next());
                WriteString(ref cursor, code.Code, plan);
                WriteDocument(ref cursor, code.Scope, plan);
                break;
            case BsonType.Int32:
                cursor.WriteInt32(((BsonInt32)value).Value);
                break;
            case BsonType.Timestamp:
                cursor.WriteUInt64(((BsonTimestamp)value).Value);
                break;
            case BsonType.Int64:
                cursor.WriteInt64(((BsonInt64)value).Value);
                break;
            case BsonType.Decimal128:
                ((BsonDecimal128)value).Value.WriteTo(cursor.Take(16));
                break;
            default:
                throw new InvalidOperationException($"Unknown BSON type 0x{(byte)value.Type:X2}.");
        }
    }

    private static void WriteString(ref BufferCursor cursor, string text, EncodePlan plan)
    {
        var count = plan.Next();
        cursor.WriteInt32(count + 1);
        cursor.WriteUtf8(text, count);
        cursor.WriteByte(0);
    }

    private static void WriteBinary(ref BufferCursor cursor, BsonBinaryData binary)
    {
        var bytes = binary.Bytes.Span;
        if (binary.Subtype == BsonBinarySubtype.BinaryOld)
        {
            cursor.WriteInt32(bytes.Length + 4);
            cursor.WriteByte((byte)binary.Subtype);
            cursor.WriteInt32(bytes.Length);
        }
        else
        {
            cursor.WriteInt32(bytes.Length);
            cursor.WriteByte((byte)binary.Subtype);
        }

        cursor.WriteBytes(bytes);
    }

    /// <summary>Writes the decimal digits of a non-negative <paramref name="value"/> into exactly <paramref name="destination"/>.</summary>
    internal static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
