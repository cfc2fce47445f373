using System.Buffers.Binary;

namespace DistributedSync.Bson.Tests.Codec;

/// <summary>Hand-built documents and byte-level helpers shared by the codec tests.</summary>
public static class BsonSamples
{
    /// <summary>A document with one field of every BSON type, nested containers included.</summary>
    public static BsonDocument EveryType() => new BsonDocument()
        .Add("double", 1.5)
        .Add("string", "héllo ☆ 𝄞")
        .Add("document", new BsonDocument("inner", 7).Add("deeper", new BsonDocument("z", BsonNull.Value)))
        .Add("array", new BsonArray([1, "two", new BsonDocument("three", 3), new BsonArray([4L])]))
        .Add("binary", new BsonBinaryData([0xAA, 0xBB, 0xCC], BsonBinarySubtype.Generic))
        .Add("binaryOld", new BsonBinaryData([0xAA, 0xBB], BsonBinarySubtype.BinaryOld))
        .Add("undefined", BsonUndefined.Value)
        .Add("objectId", ObjectId.Parse("0123456789abcdef01234567"))
        .Add("true", true)
        .Add("false", false)
        .Add("datetime", new BsonDateTime(1_234_567_890_123))
        .Add("null", BsonNull.Value)
        .Add("regex", new BsonRegularExpression("^a.*b$", "mi"))
        .Add("dbpointer", new BsonDbPointer("db.coll", ObjectId.Parse("0123456789abcdef01234567")))
        .Add("code", new BsonJavaScript("function () { return 1; }"))
        .Add("symbol", new BsonSymbol("sym"))
        .Add("codeWithScope", new BsonJavaScriptWithScope("x + y", new BsonDocument("x", 1).Add("y", "why")))
        .Add("int32", -42)
        .Add("timestamp", new BsonTimestamp(1_700_000_000, 9))
        .Add("int64", 1L << 40)
        .Add("decimal", new BsonDecimal128(new Decimal128(0x3040000000000000UL, 12345)))
        .Add("minKey", BsonMinKey.Value)
        .Add("maxKey", BsonMaxKey.Value);

    /// <summary>Documents of assorted shapes for exhaustive corruption tests.</summary>
    public static IReadOnlyList<BsonDocument> Assorted() =>
    [
        new BsonDocument(),
        new BsonDocument("a", 1),
        new BsonDocument("hello", "world"),
        new BsonDocument("BSON", new BsonArray(["awesome", 5.05, 1986])),
        new BsonDocument("nested", new BsonDocument("a", new BsonDocument("b", new BsonArray([new BsonDocument()])))),
        EveryType(),
    ];

    /// <summary>Offsets of every length field in a valid encoded document (documents, arrays, strings, binaries, code-with-scope).</summary>
    public static List<int> LengthFieldOffsets(ReadOnlySpan<byte> bson)
    {
        var offsets = new List<int>();
        WalkDocument(bson, 0, offsets);
        return offsets;
    }

    /// <summary>A copy of <paramref name="bytes"/> with the little-endian Int32 at <paramref name="offset"/> replaced.</summary>
    public static byte[] WithInt32(byte[] bytes, int offset, int value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>The first <paramref name="length"/> bytes, with the top-level length rewritten to match.</summary>
    public static byte[] TruncatedWithConsistentLength(byte[] bytes, int length)
    {
        var copy = bytes[..length];
        if (length >= 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(copy, length);
        }

        return copy;
    }

    private static int WalkDocument(ReadOnlySpan<byte> b, int start, List<int> offsets)
    {
        offsets.Add(start);
        var pos = start + 4;
        while (b[pos] != 0)
        {
            var type = (BsonType)b[pos++];
            pos += b[pos..].IndexOf((byte)0) + 1;
            pos = WalkValue(b, type, pos, offsets);
        }

        return pos + 1;
    }

    private static int WalkValue(ReadOnlySpan<byte> b, BsonType type, int pos, List<int> offsets)
    {
        switch (type)
        {
            case BsonType.Double or BsonType.DateTime or BsonType.Int64 or BsonType.Timestamp:
                return pos + 8;
            case BsonType.Int32:
                return pos + 4;
            case BsonType.Boolean:
                return pos + 1;
            case BsonType.ObjectId:
                return pos + 12;
            case BsonType.Decimal128:
                return pos + 16;
            case BsonType.Null or BsonType.Undefined or BsonType.MinKey or BsonType.MaxKey:
                return pos;
            case BsonType.String or BsonType.JavaScript or BsonType.Symbol:
                offsets.Add(pos);
                return pos + 4 + BinaryPrimitives.ReadInt32LittleEndian(b[pos..]);
            case BsonType.DbPointer:
                offsets.Add(pos);
                return pos + 4 + BinaryPrimitives.ReadInt32LittleEndian(b[pos..]) + 12;
            case BsonType.Document or BsonType.Array:
                return WalkDocument(b, pos, offsets);
            case BsonType.Binary:
                offsets.Add(pos);
                if (b[pos + 4] == 2)
                {
                    offsets.Add(pos + 5);
                }

                return pos + 5 + BinaryPrimitives.ReadInt32LittleEndian(b[pos..]);
            case BsonType.RegularExpression:
                pos += b[pos..].IndexOf((byte)0) + 1;
                return pos + b[pos..].IndexOf((byte)0) + 1;
            case BsonType.JavaScriptWithScope:
                offsets.Add(pos);
                offsets.Add(pos + 4);
                var scope = pos + 8 + BinaryPrimitives.ReadInt32LittleEndian(b[(pos + 4)..]);
                return WalkDocument(b, scope, offsets);
            default:
                throw new InvalidOperationException($"Unexpected type {type}.");
        }
    }
}
