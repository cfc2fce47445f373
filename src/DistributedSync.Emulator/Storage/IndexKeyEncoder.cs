using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// Encodes BSON values into byte keys that are equal exactly when mongod considers the values
/// equal for index purposes: numbers compare by value across Int32/Int64/Double/Decimal128
/// (1, 1.0, NumberLong(1) and NumberDecimal("1.00") collide), -0 equals 0, NaN equals NaN,
/// strings and symbols are the same bracket, documents compare field names and values in order.
/// The keys are for equality (uniqueness); they do not preserve sort order.
/// </summary>
internal static class IndexKeyEncoder
{
    /// <summary>The key of one value.</summary>
    public static byte[] Encode(BsonValue value)
    {
        if (value is BsonObjectId oid)
        {
            // The common _id, without a growable buffer: the same 13 bytes Write produces.
            var key = new byte[13];
            key[0] = (byte)'O';
            oid.Value.WriteTo(key.AsSpan(1));
            return key;
        }

        var writer = new ArrayBufferWriter<byte>(32);
        Write(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The key of a compound index entry: the values of each key field, in order.</summary>
    public static byte[] Encode(IReadOnlyList<BsonValue> values)
    {
        var writer = new ArrayBufferWriter<byte>(32 * values.Count);
        foreach (var v in values)
        {
            Write(writer, v);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> w, BsonValue value)
    {
        switch (value)
        {
            case BsonInt32 i:
                WriteInteger(w, i.Value);
                break;
            case BsonInt64 l:
                WriteInteger(w, l.Value);
                break;
            case BsonDouble d:
                WriteDouble(w, d.Value);
                break;
            case BsonDecimal128 m:
                WriteDecimal(w, m.Value);
                break;
            case BsonString s:
                WriteTagged(w, 'S', s.Value);
                break;
            case BsonSymbol sym:
                WriteTagged(w, 'S', sym.Name);
                break;
            case BsonDocument doc:
                WriteByte(w, (byte)'{');
                foreach (var e in doc)
                {
                    WriteString(w, e.Name);
                    Write(w, e.Value);
                }

                WriteByte(w, (byte)'}');
                break;
            case BsonArray arr:
                WriteByte(w, (byte)'[');
                foreach (var v in arr)
                {
                    Write(w, v);
                }

                WriteByte(w, (byte)']');
                break;
            case BsonBinaryData bin:
                WriteByte(w, (byte)'B');
                WriteByte(w, (byte)bin.Subtype);
                WriteBytes(w, bin.Bytes.Span);
                break;
            case BsonObjectId oid:
                WriteByte(w, (byte)'O');
                oid.Value.WriteTo(w.GetSpan(12));
                w.Advance(12);
                break;
            case BsonBoolean b:
                WriteByte(w, b.Value ? (byte)'T' : (byte)'F');
                break;
            case BsonDateTime dt:
                WriteByte(w, (byte)'D');
                WriteInt64(w, dt.MillisecondsSinceEpoch);
                break;
            case BsonTimestamp ts:
                WriteByte(w, (byte)'t');
                WriteInt64(w, (long)ts.Value);
                break;
            case BsonRegularExpression re:
                WriteTagged(w, 'R', re.Pattern);
                WriteString(w, re.Options);
                break;
            case BsonJavaScript js:
                WriteTagged(w, 'J', js.Code);
                break;
            case BsonJavaScriptWithScope jws:
                WriteTagged(w, 'W', jws.Code);
                Write(w, jws.Scope);
                break;
            case BsonDbPointer p:
                WriteTagged(w, 'P', p.Namespace);
                p.Id.WriteTo(w.GetSpan(12));
                w.Advance(12);
                break;
            default:
                // MinKey, MaxKey, null, undefined: the type alone is the value. mongod indexes
                // undefined as null, so both share one key.
                WriteByte(w, value.Type switch
                {
                    BsonType.MinKey => (byte)'<',
                    BsonType.MaxKey => (byte)'>',
                    _ => (byte)'N',
                });
                break;
        }
    }

    private static void WriteInteger(ArrayBufferWriter<byte> w, long value)
    {
        if (value == 0)
        {
            WriteByte(w, (byte)'0');
            return;
        }

        WriteNumber(w, value < 0, BigInteger.Abs(value), 0);
    }

    private static void WriteDouble(ArrayBufferWriter<byte> w, double value)
    {
        if (double.IsNaN(value))
        {
            WriteByte(w, (byte)'n');
            return;
        }

        if (double.IsInfinity(value))
        {
            WriteByte(w, value > 0 ? (byte)'+' : (byte)'-');
            return;
        }

        if (value == 0)
        {
            WriteByte(w, (byte)'0');
            return;
        }

        // value = mantissa * 2^exponent exactly; for a negative exponent this is
        // mantissa * 5^-exponent * 10^exponent, an exact decimal.
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (rawExponent == 0)
        {
            rawExponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        var exponent = rawExponent - 1075;
        BigInteger coefficient = mantissa;
        var exp10 = 0;
        if (exponent >= 0)
        {
            coefficient <<= exponent;
        }
        else
        {
            coefficient *= BigInteger.Pow(5, -exponent);
            exp10 = exponent;
        }

        WriteNumber(w, negative, coefficient, exp10);
    }

    private static void WriteDecimal(ArrayBufferWriter<byte> w, Decimal128 value)
    {
        if (value.IsNaN)
        {
            WriteByte(w, (byte)'n');
            return;
        }

        if (value.IsInfinity)
        {
            WriteByte(w, value.IsNegative ? (byte)'-' : (byte)'+');
            return;
        }

        var high = value.High;
        int biasedExponent;
        BigInteger coefficient;
        if ((high & 0x6000000000000000UL) == 0x6000000000000000UL)
        {
            // The "11" combination form implies a coefficient of at least 2^113, above the
            // 34-digit maximum: such encodings are non-canonical and denote zero.
            biasedExponent = (int)((high >> 47) & 0x3FFF);
            coefficient = BigInteger.Zero;
        }
        else
        {
            biasedExponent = (int)((high >> 49) & 0x3FFF);
            coefficient = ((BigInteger)(high & 0x0001FFFFFFFFFFFFUL) << 64) | value.Low;
            if (coefficient >= BigInteger.Pow(10, 34))
            {
                coefficient = BigInteger.Zero;
            }
        }

        if (coefficient.IsZero)
        {
            WriteByte(w, (byte)'0');
            return;
        }

        WriteNumber(w, value.IsNegative, coefficient, biasedExponent - 6176);
    }

    // A non-zero number as sign, significant digits without trailing zeros, and a base-10 exponent.
    private static void WriteNumber(ArrayBufferWriter<byte> w, bool negative, BigInteger coefficient, int exp10)
    {
        var digits = coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var end = digits.Length;
        while (end > 1 && digits[end - 1] == '0')
        {
            end--;
        }

        exp10 += digits.Length - end;
        WriteByte(w, negative ? (byte)'m' : (byte)'p');
        WriteString(w, digits[..end]);
        WriteInt64(w, exp10);
    }

    private static void WriteTagged(ArrayBufferWriter<byte> w, char tag, string text)
    {
        WriteByte(w, (byte)tag);
        WriteString(w, text);
    }

    private static void WriteString(ArrayBufferWriter<byte> w, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteInt64(w, length);
        Encoding.UTF8.GetBytes(text, w.GetSpan(length));
        w.Advance(length);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        WriteInt64(w, bytes.Length);
        w.Write(bytes);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> w, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void WriteByte(ArrayBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }
}
