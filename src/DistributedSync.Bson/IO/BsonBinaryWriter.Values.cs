using System.Buffers.Binary;
using System.Text.Unicode;

namespace DistributedSync.Bson.IO;

/// <summary>The value writers. Each validates its input before writing anything.</summary>
public sealed partial class BsonBinaryWriter
{
    /// <summary>Writes a double.</summary>
    public void WriteDouble(double value)
    {
        BeginValue(BsonType.Double);
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
    }

    /// <summary>Writes a UTF-8 string.</summary>
    /// <exception cref="ArgumentException">The string holds an unpaired surrogate.</exception>
    public void WriteString(string value) => WriteStringValue(BsonType.String, value, "string");

    /// <summary>Writes binary data (subtype 0x02 gets its inner length prefix).</summary>
    public void WriteBinary(ReadOnlySpan<byte> bytes, BsonBinarySubtype subtype = BsonBinarySubtype.Generic)
    {
        var old = subtype == BsonBinarySubtype.BinaryOld;
        if (bytes.Length > int.MaxValue - 4)
        {
            throw new ArgumentException("The binary is too large for BSON.", nameof(bytes));
        }

        BeginValue(BsonType.Binary);
        var header = Reserve(old ? 9 : 5);
        BinaryPrimitives.WriteInt32LittleEndian(header, old ? bytes.Length + 4 : bytes.Length);
        header[4] = (byte)subtype;
        if (old)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header[5..], bytes.Length);
        }

        _output.Write(bytes);
    }

    /// <summary>Writes the deprecated undefined value.</summary>
    public void WriteUndefined() => BeginValue(BsonType.Undefined);

    /// <summary>Writes an ObjectId.</summary>
    public void WriteObjectId(ObjectId value)
    {
        BeginValue(BsonType.ObjectId);
        value.WriteTo(Reserve(12));
    }

    /// <summary>Writes a boolean.</summary>
    public void WriteBoolean(bool value)
    {
        BeginValue(BsonType.Boolean);
        WriteByte(value ? (byte)1 : (byte)0);
    }

    /// <summary>Writes a UTC datetime as milliseconds since the Unix epoch.</summary>
    public void WriteDateTime(long millisecondsSinceEpoch)
    {
        BeginValue(BsonType.DateTime);
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), millisecondsSinceEpoch);
    }

    /// <summary>Writes null.</summary>
    public void WriteNull() => BeginValue(BsonType.Null);

    /// <summary>Writes a regular expression; the options are written sorted, as BSON requires.</summary>
    /// <exception cref="ArgumentException">The pattern or options contain NUL or an unpaired surrogate.</exception>
    public void WriteRegularExpression(string pattern, string options)
    {
        var regex = new BsonRegularExpression(pattern, options);
        CheckCString(regex.Pattern, _pendingName, "regular expression pattern");
        CheckCString(regex.Options, _pendingName, "regular expression options");
        BeginValue(BsonType.RegularExpression);
        WriteCStringUnchecked(regex.Pattern);
        WriteCStringUnchecked(regex.Options);
    }

    /// <summary>Writes the deprecated DBPointer.</summary>
    public void WriteDbPointer(string @namespace, ObjectId id)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        var count = Utf8Count(@namespace, "DBPointer namespace");
        BeginValue(BsonType.DbPointer);
        WriteStringBody(@namespace, count);
        id.WriteTo(Reserve(12));
    }

    /// <summary>Writes JavaScript code.</summary>
    public void WriteJavaScript(string code) => WriteStringValue(BsonType.JavaScript, code, "JavaScript code");

    /// <summary>Writes the deprecated symbol.</summary>
    public void WriteSymbol(string symbol) => WriteStringValue(BsonType.Symbol, symbol, "symbol");

    /// <summary>Writes the deprecated code with scope.</summary>
    public void WriteJavaScriptWithScope(string code, BsonDocument scope) => WriteValue(new BsonJavaScriptWithScope(code, scope));

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value)
    {
        BeginValue(BsonType.Int32);
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
    }

    /// <summary>Writes a timestamp from its 64-bit wire value (seconds in the high half).</summary>
    public void WriteTimestamp(ulong value)
    {
        BeginValue(BsonType.Timestamp);
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value)
    {
        BeginValue(BsonType.Int64);
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
    }

    /// <summary>Writes a Decimal128.</summary>
    public void WriteDecimal128(Decimal128 value)
    {
        BeginValue(BsonType.Decimal128);
        value.WriteTo(Reserve(16));
    }

    /// <summary>Writes MinKey.</summary>
    public void WriteMinKey() => BeginValue(BsonType.MinKey);

    /// <summary>Writes MaxKey.</summary>
    public void WriteMaxKey() => BeginValue(BsonType.MaxKey);

    /// <summary>
    /// Writes any value (documents and arrays are encoded whole). At depth 0 the value must be a
    /// document, which is then written as a top-level document.
    /// </summary>
    /// <exception cref="ArgumentException">Something in the value cannot be encoded; the message names it. Nothing was written.</exception>
    public void WriteValue(BsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_depth == 0)
        {
            if (value is not BsonDocument document)
            {
                throw new InvalidOperationException("Only a document can be written at the top level.");
            }

            BsonEncoder.Encode(document, _output);
            return;
        }

        var mark = _output.WrittenCount;
        var pending = _pendingName;
        ref var frame = ref _frames[_depth - 1];
        var count = frame.Count;
        BeginValue(value.Type);
        try
        {
            BsonEncoder.EncodeValue(value, _output, _depth);
        }
        catch (ArgumentException)
        {
            // Take the element header back so the writer stays usable.
            _output.Truncate(mark);
            _pendingName = pending;
            frame.Count = count;
            throw;
        }
    }

    /// <summary>
    /// Writes an already encoded document: as a top-level document at depth 0, otherwise as the
    /// value of the pending name or next array element. Only its framing is checked (declared
    /// length equal to the span, final 0x00); decode it first if it comes from an untrusted source.
    /// </summary>
    public void WriteRawDocument(ReadOnlySpan<byte> document)
    {
        if (document.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(document) != document.Length || document[^1] != 0)
        {
            throw new ArgumentException("The bytes are not a framed BSON document (declared length must equal the span length and the last byte must be 0x00).", nameof(document));
        }

        if (_depth > 0)
        {
            BeginValue(BsonType.Document);
        }

        _output.Write(document);
    }

    /// <summary>Writes <paramref name="name"/> and then <paramref name="value"/>.</summary>
    public void WriteElement(string name, BsonValue value)
    {
        WriteName(name);
        WriteValue(value);
    }

    private void WriteStringValue(BsonType type, string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = Utf8Count(value, what);
        BeginValue(type);
        WriteStringBody(value, count);
    }

    private void WriteStringBody(string value, int count)
    {
        var span = Reserve(count + 5);
        BinaryPrimitives.WriteInt32LittleEndian(span, count + 1);
        Utf8.FromUtf16(value, span[4..], out _, out _, replaceInvalidSequences: false);
        span[^1] = 0;
    }

    private void WriteCStringUnchecked(string text)
    {
        var max = text.Length <= 128 ? (text.Length * 3) + 1 : BsonEncoder.Utf8Count(text, "C string") + 1;
        var span = _output.GetSpan(max);
        Utf8.FromUtf16(text, span, out _, out var written, replaceInvalidSequences: false);
        span[written] = 0;
        _output.Advance(written + 1);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    private void WriteInt32Raw(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    private Span<byte> Reserve(int count)
    {
        var span = _output.GetSpan(count)[..count];
        _output.Advance(count);
        return span;
    }

    private static int Utf8Count(string text, string what)
    {
        try
        {
            return BsonEncoder.Utf8Count(text, what);
        }
        catch (EncodeFieldException e)
        {
            throw new ArgumentException($"The {what} cannot be encoded as BSON: {e.Reason}.", nameof(text));
        }
    }

    private static void CheckCString(string text, string? field, string what)
    {
        try
        {
            BsonEncoder.CStringSize(text, what);
        }
        catch (EncodeFieldException e)
        {
            var subject = field is null ? "A value" : $"The field '{field}'";
            throw new ArgumentException($"{subject} cannot be encoded as BSON: {e.Reason}.", nameof(text));
        }
    }
}
