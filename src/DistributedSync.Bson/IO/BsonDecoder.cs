using System.Buffers.Binary;

namespace DistributedSync.Bson.IO;

/// <summary>
/// Decodes one BSON document from a span. Every length is checked against the bytes that remain
/// in the enclosing document before it is used, so malformed input can only end in a
/// <see cref="BsonFormatException"/> carrying the offset of the problem.
/// </summary>
internal ref partial struct BsonDecoder
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _maxDepth;
    private readonly DecodeScratch _scratch;
    private int _pos;

    private BsonDecoder(ReadOnlySpan<byte> bytes, int maxDepth)
    {
        _bytes = bytes;
        _maxDepth = maxDepth;
        _scratch = DecodeScratch.Acquire();
    }

    /// <summary>Decodes <paramref name="bytes"/>, which must hold exactly one document.</summary>
    public static BsonDocument Decode(ReadOnlySpan<byte> bytes, BsonReaderOptions options)
    {
        var length = CheckTopLevelLength(bytes[..Math.Min(bytes.Length, 4)], bytes.Length, options);
        var decoder = new BsonDecoder(bytes[..length], options.MaxDepth);
        BsonDocument document;
        try
        {
            document = decoder.ReadDocument(0, length, 1);
        }
        finally
        {
            decoder._scratch.Reset();
        }

        if (length < bytes.Length)
        {
            throw new BsonFormatException(length, $"{bytes.Length - length} trailing byte(s) follow the document, whose declared length is {length}.");
        }

        return document;
    }

    /// <summary>
    /// Checks the declared length of a top-level document (<paramref name="prefix"/> holds the first
    /// bytes, <paramref name="available"/> is the input size) and returns it.
    /// </summary>
    public static int CheckTopLevelLength(ReadOnlySpan<byte> prefix, long available, BsonReaderOptions options)
    {
        if (prefix.Length < 4)
        {
            throw new BsonFormatException(available, $"The input ends after {available} byte(s), before the 4-byte document length.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 5)
        {
            throw new BsonFormatException(0, $"The document length {length} is less than 5, the size of an empty document.");
        }

        if (length > options.MaxDocumentSize)
        {
            throw new BsonFormatException(0, $"The document length {length} exceeds the limit of {options.MaxDocumentSize} bytes.");
        }

        if (length > available)
        {
            throw new BsonFormatException(available, $"The input is truncated: the document declares {length} bytes but only {available} are present.");
        }

        return length;
    }

    /// <summary>
    /// Reads the document at <paramref name="start"/> whose declared length ends at
    /// <paramref name="end"/> (already checked to lie within the enclosing value).
    /// </summary>
    private BsonDocument ReadDocument(int start, int end, int depth)
    {
        var mark = _scratch.Top;
        var last = end - 1;
        _pos = start + 4;
        while (true)
        {
            var typeOffset = _pos;
            var type = _bytes[typeOffset];
            if (type == 0 || typeOffset == last)
            {
                CheckTerminator(start, end, typeOffset, type);
                _pos = end;
                return _scratch.PopDocument(mark);
            }

            CheckType(type, typeOffset);
            _pos++;
            var name = ReadFieldName(last);
            var value = ReadValue(type, typeOffset, last, depth, name, 0);
            _scratch.Push(name, value);
        }
    }

    /// <summary>Reads an array: element names are checked as C strings and otherwise ignored.</summary>
    private BsonArray ReadArray(int start, int end, int depth)
    {
        var mark = _scratch.Top;
        var last = end - 1;
        _pos = start + 4;
        while (true)
        {
            var typeOffset = _pos;
            var type = _bytes[typeOffset];
            if (type == 0 || typeOffset == last)
            {
                CheckTerminator(start, end, typeOffset, type);
                _pos = end;
                return _scratch.PopArray(mark);
            }

            CheckType(type, typeOffset);
            _pos++;
            SkipCString(last, "element name");
            _scratch.Push(string.Empty, ReadValue(type, typeOffset, last, depth, null, _scratch.Top - mark));
        }
    }

    private static void CheckType(byte type, int offset)
    {
        if (type > (byte)BsonType.Decimal128 && type != (byte)BsonType.MinKey && type != (byte)BsonType.MaxKey)
        {
            throw new BsonFormatException(offset, $"Unknown element type 0x{type:X2} at offset {offset}.");
        }
    }

    private readonly void CheckTerminator(int start, int end, int offset, byte found)
    {
        if (found != 0)
        {
            throw new BsonFormatException(offset, $"The document at offset {start} (declared length {end - start}) must end with 0x00 at offset {offset}, but the byte there is 0x{found:X2}.");
        }

        if (offset != end - 1)
        {
            throw new BsonFormatException(offset, $"The document at offset {start} has its 0x00 terminator at offset {offset}, but its declared length {end - start} puts the terminator at offset {end - 1}.");
        }
    }

    /// <summary>Reads the value of an element whose type byte is at <paramref name="typeOffset"/>; <paramref name="limit"/> is exclusive.</summary>
    private BsonValue ReadValue(byte type, int typeOffset, int limit, int depth, string? name, int index)
    {
        switch ((BsonType)type)
        {
            case BsonType.Double:
                return new BsonDouble(BinaryPrimitives.ReadDoubleLittleEndian(Take(8, limit, "double", name, index)));
            case BsonType.String:
                return new BsonString(ReadString(limit, "string", name, index));
            case BsonType.Document:
            {
                var (start, end) = ReadEmbeddedLength(limit, depth, "embedded document", name, index);
                return ReadDocument(start, end, depth + 1);
            }

            case BsonType.Array:
            {
                var (start, end) = ReadEmbeddedLength(limit, depth, "array", name, index);
                return ReadArray(start, end, depth + 1);
            }

            case BsonType.Binary:
                return ReadBinary(limit, name, index);
            case BsonType.Undefined:
                return BsonUndefined.Value;
            case BsonType.ObjectId:
                return new BsonObjectId(new ObjectId(Take(12, limit, "ObjectId", name, index)));
            case BsonType.Boolean:
                var b = Take(1, limit, "boolean", name, index)[0];
                return b switch
                {
                    0 => BsonBoolean.False,
                    1 => BsonBoolean.True,
                    _ => throw new BsonFormatException(_pos - 1, $"The boolean of {Label(name, index)} is 0x{b:X2}; only 0x00 and 0x01 are valid."),
                };
            case BsonType.DateTime:
                return new BsonDateTime(BinaryPrimitives.ReadInt64LittleEndian(Take(8, limit, "datetime", name, index)));
            case BsonType.Null:
                return BsonNull.Value;
            case BsonType.RegularExpression:
                var pattern = ReadCString(limit, "regular expression pattern", name, index);
                var options = ReadCString(limit, "regular expression options", name, index);
                return new BsonRegularExpression(pattern, options);
            case BsonType.DbPointer:
                var ns = ReadString(limit, "DBPointer namespace", name, index);
                return new BsonDbPointer(ns, new ObjectId(Take(12, limit, "DBPointer ObjectId", name, index)));
            case BsonType.JavaScript:
                return new BsonJavaScript(ReadString(limit, "JavaScript code", name, index));
            case BsonType.Symbol:
                return new BsonSymbol(ReadString(limit, "symbol", name, index));
            case BsonType.JavaScriptWithScope:
                return ReadCodeWithScope(limit, depth, name, index);
            case BsonType.Int32:
                return BsonInt32.Create(BinaryPrimitives.ReadInt32LittleEndian(Take(4, limit, "int32", name, index)));
            case BsonType.Timestamp:
                return BsonTimestamp.FromValue(BinaryPrimitives.ReadUInt64LittleEndian(Take(8, limit, "timestamp", name, index)));
            case BsonType.Int64:
                return new BsonInt64(BinaryPrimitives.ReadInt64LittleEndian(Take(8, limit, "int64", name, index)));
            case BsonType.Decimal128:
                return new BsonDecimal128(Decimal128.FromBytes(Take(16, limit, "Decimal128", name, index)));
            case BsonType.MinKey:
                return BsonMinKey.Value;
            case BsonType.MaxKey:
                return BsonMaxKey.Value;
            default:
                throw new BsonFormatException(typeOffset, $"Unknown element type 0x{type:X2} for {Label(name, index)}.");
        }
    }
}
