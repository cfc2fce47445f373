using System.Text;
using System.Text.Unicode;

namespace DistributedSync.Bson.IO;

/// <summary>Strings, C strings and field names: terminators, lengths and strict UTF-8.</summary>
internal ref partial struct BsonDecoder
{
    // Throws DecoderFallbackException on any ill-formed sequence (overlong forms, surrogates, values
    // above U+10FFFF, truncated sequences), so validation and transcoding take one pass.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the field name that starts at the current position (a C string ending before <paramref name="limit"/>).</summary>
    private string ReadFieldName(int limit)
    {
        var start = _pos;
        var length = _bytes[start..limit].IndexOf((byte)0);
        if (length < 0)
        {
            throw new BsonFormatException(start, $"The field name that starts at offset {start} has no 0x00 terminator before the end of its document (offset {limit}).");
        }

        _pos = start + length + 1;
        var bytes = _bytes.Slice(start, length);
        return length <= FieldNameCache.MaxLength
            ? FieldNameCache.GetOrAdd(bytes) ?? DecodeUtf8(bytes, start, "field name", null, 0)
            : DecodeUtf8(bytes, start, "field name", null, 0);
    }

    /// <summary>Checks a C string (terminator and UTF-8) without materialising it.</summary>
    private void SkipCString(int limit, string what)
    {
        var start = _pos;
        var length = _bytes[start..limit].IndexOf((byte)0);
        if (length < 0)
        {
            throw new BsonFormatException(start, $"The {what} that starts at offset {start} has no 0x00 terminator before the end of its document (offset {limit}).");
        }

        var bytes = _bytes.Slice(start, length);
        if (!Utf8.IsValid(bytes))
        {
            throw InvalidUtf8(bytes, start, what, null, 0);
        }

        _pos = start + length + 1;
    }

    /// <summary>Reads a C string value (regular expression pattern or options).</summary>
    private string ReadCString(int limit, string what, string? name, int index)
    {
        var start = _pos;
        var length = _bytes[start..limit].IndexOf((byte)0);
        if (length < 0)
        {
            throw new BsonFormatException(start, $"The {what} of {Label(name, index)} has no 0x00 terminator before the end of its document (offset {limit}).");
        }

        _pos = start + length + 1;
        return DecodeUtf8(_bytes.Slice(start, length), start, what, name, index);
    }

    /// <summary>Reads a length-prefixed, NUL-terminated UTF-8 string (embedded NULs are allowed).</summary>
    private string ReadString(int limit, string what, string? name, int index)
    {
        var start = _pos;
        var length = ReadLength(limit, what, name, index);
        if (length < 1)
        {
            throw new BsonFormatException(start, $"The {what} length {length} of {Label(name, index)} is less than 1 (the length counts the 0x00 terminator).");
        }

        var contentStart = start + 4;
        if (length > limit - contentStart)
        {
            throw new BsonFormatException(start, $"The {what} of {Label(name, index)} declares {length} bytes but only {limit - contentStart} remain before the end of the enclosing value.");
        }

        var terminator = contentStart + length - 1;
        if (_bytes[terminator] != 0)
        {
            throw new BsonFormatException(terminator, $"The {what} of {Label(name, index)} is not terminated by 0x00 (found 0x{_bytes[terminator]:X2}).");
        }

        _pos = terminator + 1;
        return DecodeUtf8(_bytes[contentStart..terminator], contentStart, what, name, index);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, int offset, string what, string? name, int index)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidUtf8(bytes, offset, what, name, index);
        }
    }

    private static BsonFormatException InvalidUtf8(ReadOnlySpan<byte> bytes, int offset, string what, string? name, int index)
    {
        var at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        var subject = what is "field name" or "element name" ? $"The {what} at offset {offset}" : $"The {what} of {Label(name, index)}";
        return new BsonFormatException(offset + at, $"{subject} is not valid UTF-8: invalid, overlong, surrogate or truncated sequence at offset {offset + at}.");
    }
}
