using System.Buffers.Binary;

namespace DistributedSync.Bson.IO;

/// <summary>Length-prefixed values (embedded documents, binary, code with scope) and bounded reads.</summary>
internal ref partial struct BsonDecoder
{
    /// <summary>Reads and checks the length of an embedded document or array; returns its bounds.</summary>
    private (int Start, int End) ReadEmbeddedLength(int limit, int depth, string what, string? name, int index)
    {
        var start = _pos;
        var length = ReadLength(limit, what, name, index);
        if (length < 5)
        {
            throw new BsonFormatException(start, $"The {what} length {length} of {Label(name, index)} is less than 5, the size of an empty {what}.");
        }

        if (length > limit - start)
        {
            throw new BsonFormatException(start, $"The {what} of {Label(name, index)} declares {length} bytes but only {limit - start} remain before the end of the enclosing document.");
        }

        if (depth >= _maxDepth)
        {
            throw new BsonFormatException(start, $"The {what} of {Label(name, index)} would be nesting level {depth + 1}, beyond the limit of {_maxDepth}.");
        }

        return (start, start + length);
    }

    private BsonBinaryData ReadBinary(int limit, string? name, int index)
    {
        var lengthOffset = _pos;
        var header = Take(5, limit, "binary length and subtype", name, index);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var subtype = (BsonBinarySubtype)header[4];
        if (length < 0)
        {
            throw new BsonFormatException(lengthOffset, $"The binary length {length} of {Label(name, index)} is negative.");
        }

        if (length > limit - _pos)
        {
            throw new BsonFormatException(lengthOffset, $"The binary of {Label(name, index)} declares {length} bytes but only {limit - _pos} remain before the end of the enclosing document.");
        }

        var payload = _bytes.Slice(_pos, length);
        if (subtype == BsonBinarySubtype.BinaryOld)
        {
            if (length < 4)
            {
                throw new BsonFormatException(lengthOffset, $"The binary of {Label(name, index)} has subtype 0x02, which needs a 4-byte inner length, but holds only {length} byte(s).");
            }

            var inner = BinaryPrimitives.ReadInt32LittleEndian(payload);
            if (inner != length - 4)
            {
                throw new BsonFormatException(_pos, $"The subtype 0x02 binary of {Label(name, index)} declares an inner length of {inner} but holds {length - 4} byte(s) after it.");
            }

            payload = payload[4..];
        }

        _pos += length;
        return BsonBinaryData.TakeOwnership(payload.IsEmpty ? [] : payload.ToArray(), subtype);
    }

    private BsonJavaScriptWithScope ReadCodeWithScope(int limit, int depth, string? name, int index)
    {
        const int MinimumLength = 4 + 5 + 5; // total length, empty string, empty document
        var start = _pos;
        var total = ReadLength(limit, "code-with-scope", name, index);
        if (total < MinimumLength)
        {
            throw new BsonFormatException(start, $"The code-with-scope length {total} of {Label(name, index)} is less than {MinimumLength}, the smallest possible.");
        }

        if (total > limit - start)
        {
            throw new BsonFormatException(start, $"The code-with-scope of {Label(name, index)} declares {total} bytes but only {limit - start} remain before the end of the enclosing document.");
        }

        var end = start + total;
        var code = ReadString(end, "code-with-scope code", name, index);
        var (scopeStart, scopeEnd) = ReadEmbeddedLength(end, depth, "code-with-scope scope", name, index);
        if (scopeEnd != end)
        {
            throw new BsonFormatException(start, $"The code-with-scope of {Label(name, index)} declares {total} bytes but its code and scope occupy {scopeEnd - start}.");
        }

        var scope = ReadDocument(scopeStart, scopeEnd, depth + 1);
        return new BsonJavaScriptWithScope(code, scope);
    }

    /// <summary>Returns the next <paramref name="count"/> bytes, which must lie before <paramref name="limit"/>.</summary>
    private ReadOnlySpan<byte> Take(int count, int limit, string what, string? name, int index)
    {
        var start = _pos;
        if (limit - start < count)
        {
            throw new BsonFormatException(start, $"The {what} of {Label(name, index)} needs {count} byte(s) but only {limit - start} remain before the end of the enclosing document.");
        }

        _pos = start + count;
        return _bytes.Slice(start, count);
    }

    /// <summary>Reads the Int32 length field of a value, which must lie before <paramref name="limit"/>.</summary>
    private int ReadLength(int limit, string what, string? name, int index)
    {
        var start = _pos;
        if (limit - start < 4)
        {
            throw new BsonFormatException(start, $"The {what} length of {Label(name, index)} needs 4 bytes but only {limit - start} remain before the end of the enclosing document.");
        }

        _pos = start + 4;
        return BinaryPrimitives.ReadInt32LittleEndian(_bytes[start..]);
    }

    private static string Label(string? name, int index)
        => name is null ? $"array element {index}" : $"field '{name}'";
}
