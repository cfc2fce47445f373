using System.Buffers.Binary;
using System.Text.Unicode;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// Says whether the BSON decoder (<c>BsonCodec.Decode</c> with a given depth limit) would accept
/// a document, without building it: every rule of the decoder, none of its allocations. Used on
/// the documents of kind-1 sequences, which the connection keeps as received bytes and decodes
/// only when a command needs them. A document this check refuses is decoded for real to get the
/// decoder's own error, so the check must never accept what the decoder refuses; the reverse
/// only costs a decode.
/// </summary>
internal static class RawBsonValidator
{
    /// <summary>True when <paramref name="document"/> is exactly one document the decoder accepts.</summary>
    public static bool IsValid(ReadOnlySpan<byte> document, int maxDepth)
        => document.Length >= 5
            && BinaryPrimitives.ReadInt32LittleEndian(document) == document.Length
            && new Walker(document, maxDepth).Container(0, document.Length, 1, isArray: false);

    private readonly ref struct Walker(ReadOnlySpan<byte> bytes, int maxDepth)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        // The document or array at [start, end), whose length was checked by the caller.
        public bool Container(int start, int end, int depth, bool isArray)
        {
            var last = end - 1;
            var position = start + 4;
            while (true)
            {
                var type = _bytes[position];
                if (type == 0 || position == last)
                {
                    return type == 0 && position == last;
                }

                if (type > (byte)BsonType.Decimal128 && type != (byte)BsonType.MinKey && type != (byte)BsonType.MaxKey)
                {
                    return false;
                }

                // Field names and array element names: UTF-8 C strings (element names are ignored).
                position = CString(position + 1, last);
                if (position < 0)
                {
                    return false;
                }

                position = Value((BsonType)type, position, last, depth);
                if (position < 0)
                {
                    return false;
                }
            }
        }

        // The offset after the value at position (bounded by limit, exclusive), or -1.
        private int Value(BsonType type, int position, int limit, int depth)
        {
            switch (type)
            {
                case BsonType.Double or BsonType.DateTime or BsonType.Timestamp or BsonType.Int64:
                    return Fixed(position, limit, 8);
                case BsonType.Int32:
                    return Fixed(position, limit, 4);
                case BsonType.ObjectId:
                    return Fixed(position, limit, 12);
                case BsonType.Decimal128:
                    return Fixed(position, limit, 16);
                case BsonType.Boolean:
                    return limit - position >= 1 && _bytes[position] <= 1 ? position + 1 : -1;
                case BsonType.Undefined or BsonType.Null or BsonType.MinKey or BsonType.MaxKey:
                    return position;
                case BsonType.String or BsonType.JavaScript or BsonType.Symbol:
                    return String(position, limit);
                case BsonType.Document or BsonType.Array:
                    return Embedded(position, limit, depth, type == BsonType.Array);
                case BsonType.Binary:
                    return Binary(position, limit);
                case BsonType.RegularExpression:
                    var options = CString(position, limit);
                    return options < 0 ? -1 : CString(options, limit);
                case BsonType.DbPointer:
                    var id = String(position, limit);
                    return id < 0 ? -1 : Fixed(id, limit, 12);
                case BsonType.JavaScriptWithScope:
                    return CodeWithScope(position, limit, depth);
                default:
                    return -1;
            }
        }

        private static int Fixed(int position, int limit, int size) => limit - position >= size ? position + size : -1;

        private int CString(int position, int limit)
        {
            var length = _bytes[position..limit].IndexOf((byte)0);
            return length >= 0 && Utf8.IsValid(_bytes.Slice(position, length)) ? position + length + 1 : -1;
        }

        private int String(int position, int limit)
        {
            if (limit - position < 4)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes[position..]);
            var content = position + 4;
            if (length < 1 || length > limit - content)
            {
                return -1;
            }

            var terminator = content + length - 1;
            return _bytes[terminator] == 0 && Utf8.IsValid(_bytes[content..terminator]) ? terminator + 1 : -1;
        }

        private int Embedded(int position, int limit, int depth, bool isArray)
        {
            if (limit - position < 4)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes[position..]);
            if (length < 5 || length > limit - position || depth >= maxDepth)
            {
                return -1;
            }

            return Container(position, position + length, depth + 1, isArray) ? position + length : -1;
        }

        private int Binary(int position, int limit)
        {
            if (limit - position < 5)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes[position..]);
            var payload = position + 5;
            if (length < 0 || length > limit - payload)
            {
                return -1;
            }

            // Subtype 0x02 wraps the payload in a second length, which must agree.
            if (_bytes[position + 4] == (byte)BsonBinarySubtype.BinaryOld
                && (length < 4 || BinaryPrimitives.ReadInt32LittleEndian(_bytes[payload..]) != length - 4))
            {
                return -1;
            }

            return payload + length;
        }

        private int CodeWithScope(int position, int limit, int depth)
        {
            const int MinimumLength = 4 + 5 + 5; // total length, empty string, empty document
            if (limit - position < 4)
            {
                return -1;
            }

            var total = BinaryPrimitives.ReadInt32LittleEndian(_bytes[position..]);
            if (total < MinimumLength || total > limit - position)
            {
                return -1;
            }

            var end = position + total;
            var scope = String(position + 4, end);
            if (scope < 0 || end - scope < 4)
            {
                return -1;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_bytes[scope..]);
            if (length < 5 || length > end - scope || depth >= maxDepth || scope + length != end)
            {
                return -1;
            }

            return Container(scope, end, depth + 1, isArray: false) ? end : -1;
        }
    }
}
