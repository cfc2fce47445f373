using System.Buffers.Binary;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// What <see cref="InsertPreparation"/> needs to know about a received BSON document, read from
/// its bytes without decoding it. The bytes must be a document the decoder accepts (checked
/// before, e.g. by <c>RawBsonValidator</c>); this walk does not validate them again.
/// </summary>
/// <param name="Depth">The nesting depth as mongod limits it: the top level is 1, an empty sub-document or array adds no level.</param>
/// <param name="Canonical">
/// Whether the bytes are exactly what encoding the decoded document gives: false for an array
/// whose element names are not "0", "1", ... (the decoder ignores them, the encoder renumbers),
/// for regex options that are not sorted ASCII (the decoder sorts them) and for code-with-scope
/// (left to the decoded path).
/// </param>
/// <param name="IdCount">How many top-level fields are named <c>_id</c>.</param>
/// <param name="IdElement">Where the first top-level <c>_id</c> element starts (its type byte), or 0.</param>
/// <param name="IdEnd">Where that element ends.</param>
/// <param name="ZeroTimestamp">Whether a top-level field holds <c>Timestamp(0, 0)</c>.</param>
internal readonly record struct RawDocumentShape(int Depth, bool Canonical, int IdCount, int IdElement, int IdEnd, bool ZeroTimestamp)
{
    /// <summary>True when the first element is the only <c>_id</c>.</summary>
    public bool IdFirst => IdCount == 1 && IdElement == 4;

    /// <summary>Reads the shape of <paramref name="document"/>.</summary>
    public static RawDocumentShape Read(ReadOnlySpan<byte> document)
    {
        var canonical = true;
        int idCount = 0, idElement = 0, idEnd = 0, deepest = 0;
        var zeroTimestamp = false;
        var position = 4;
        while (document[position] != 0)
        {
            var type = (BsonType)document[position];
            var nameLength = document[(position + 1)..].IndexOf((byte)0);
            var value = position + 1 + nameLength + 1;
            var end = value + ValueSize(type, document, value);
            if (nameLength == 3 && document.Slice(position + 1, 3).SequenceEqual("_id"u8) && idCount++ == 0)
            {
                (idElement, idEnd) = (position, end);
            }

            zeroTimestamp |= type == BsonType.Timestamp && BinaryPrimitives.ReadUInt64LittleEndian(document[value..]) == 0;
            deepest = Math.Max(deepest, Nested(document, type, value, ref canonical));
            position = end;
        }

        return new RawDocumentShape(1 + deepest, canonical, idCount, idElement, idEnd, zeroTimestamp);
    }

    // The depth a value adds (0 for scalars and empty containers), checking what lies inside.
    private static int Nested(ReadOnlySpan<byte> bytes, BsonType type, int value, ref bool canonical)
    {
        switch (type)
        {
            case BsonType.Document or BsonType.Array:
                return BinaryPrimitives.ReadInt32LittleEndian(bytes[value..]) > 5 ? Container(bytes, value, type == BsonType.Array, ref canonical) : 0;
            case BsonType.RegularExpression:
                var pattern = bytes[value..].IndexOf((byte)0) + 1;
                var options = bytes[(value + pattern)..];
                options = options[..options.IndexOf((byte)0)];
                for (var i = 0; i < options.Length; i++)
                {
                    canonical &= options[i] < 0x80 && (i == 0 || options[i - 1] <= options[i]);
                }

                return 0;
            case BsonType.JavaScriptWithScope:
                canonical = false;
                return 0;
            default:
                return 0;
        }
    }

    private static int Container(ReadOnlySpan<byte> bytes, int start, bool isArray, ref bool canonical)
    {
        var deepest = 0;
        var position = start + 4;
        for (var index = 0; bytes[position] != 0; index++)
        {
            var type = (BsonType)bytes[position];
            var nameLength = bytes[(position + 1)..].IndexOf((byte)0);
            if (isArray && canonical && !IsIndexName(bytes.Slice(position + 1, nameLength), index))
            {
                canonical = false;
            }

            var value = position + 1 + nameLength + 1;
            deepest = Math.Max(deepest, Nested(bytes, type, value, ref canonical));
            position = value + ValueSize(type, bytes, value);
        }

        return 1 + deepest;
    }

    private static int ValueSize(BsonType type, ReadOnlySpan<byte> bytes, int value) => type switch
    {
        BsonType.Double or BsonType.DateTime or BsonType.Timestamp or BsonType.Int64 => 8,
        BsonType.String or BsonType.JavaScript or BsonType.Symbol => 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes[value..]),
        BsonType.Document or BsonType.Array or BsonType.JavaScriptWithScope => BinaryPrimitives.ReadInt32LittleEndian(bytes[value..]),
        BsonType.Binary => 5 + BinaryPrimitives.ReadInt32LittleEndian(bytes[value..]),
        BsonType.ObjectId => 12,
        BsonType.Boolean => 1,
        BsonType.Int32 => 4,
        BsonType.Decimal128 => 16,
        BsonType.DbPointer => 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes[value..]) + 12,
        BsonType.RegularExpression => RegexSize(bytes, value),
        BsonType.Undefined or BsonType.Null or BsonType.MinKey or BsonType.MaxKey => 0,
        _ => throw new InvalidOperationException($"Unexpected BSON type 0x{(byte)type:X2} in a validated document."),
    };

    private static int RegexSize(ReadOnlySpan<byte> bytes, int value)
    {
        var pattern = bytes[value..].IndexOf((byte)0) + 1;
        return pattern + bytes[(value + pattern)..].IndexOf((byte)0) + 1;
    }

    // True when name is index in decimal without leading zeros, as the encoder writes it.
    private static bool IsIndexName(ReadOnlySpan<byte> name, int index)
    {
        Span<byte> digits = stackalloc byte[11];
        return index.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture)
            && name.SequenceEqual(digits[..written]);
    }
}
