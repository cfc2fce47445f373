using System.Buffers.Binary;
using System.Text;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>
/// Seeded random documents built in C#, covering every BSON type, for js-bson to read back.
/// Values stay inside what js-bson can hold without loss: field names are never all digits (a
/// JavaScript object would reorder them) nor $ref/$id/$db (it would make a DBRef), dates lie
/// within a JavaScript Date's ±8.64e15 ms, strings are valid UTF-16, and subtype 9 binaries are
/// well-formed vectors (js-bson checks them when writing).
/// </summary>
internal sealed class InteropDocumentGenerator(int seed)
{
    private const long MaxJsDate = 8_640_000_000_000_000;

    private static readonly string[] SpecialKeys =
        ["_id", "", "a.b", "$set", "$numberLong", "__proto__", "ключ", "😀", "naïve", "x y", "-1", "00x"];

    private static readonly double[] SpecialDoubles =
    [
        0.0, -0.0, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8000000000000), double.PositiveInfinity,
        double.NegativeInfinity, double.Epsilon, -double.Epsilon, 2.2250738585072014e-308, 2.225073858507201e-308,
        double.MaxValue, double.MinValue, 1.0, -1.0, 0.1, 1e21, 1e-7, 9007199254740992.0, 9223372036854775808.0,
        1.0 / 3, Math.PI, 123456789.125,
    ];

    private static readonly BsonBinarySubtype[] Subtypes =
    [
        BsonBinarySubtype.Generic, BsonBinarySubtype.Function, BsonBinarySubtype.BinaryOld, BsonBinarySubtype.UuidLegacy,
        BsonBinarySubtype.Uuid, BsonBinarySubtype.Md5, BsonBinarySubtype.Encrypted, BsonBinarySubtype.Column,
        BsonBinarySubtype.Sensitive, BsonBinarySubtype.Vector, BsonBinarySubtype.UserDefined, (BsonBinarySubtype)0xFF,
    ];

    private static readonly BsonType[] LeafTypes =
    [
        BsonType.Double, BsonType.String, BsonType.Binary, BsonType.Undefined, BsonType.ObjectId, BsonType.Boolean,
        BsonType.DateTime, BsonType.Null, BsonType.RegularExpression, BsonType.DbPointer, BsonType.JavaScript,
        BsonType.Symbol, BsonType.Int32, BsonType.Timestamp, BsonType.Int64, BsonType.Decimal128, BsonType.MinKey,
        BsonType.MaxKey,
    ];

    private static readonly BsonType[] ContainerTypes = [BsonType.Document, BsonType.Array, BsonType.JavaScriptWithScope];

#pragma warning disable CA5394 // Reproducible test data, not security.
    private readonly Random _rng = new(seed);

    /// <summary>A random top-level document.</summary>
    public BsonDocument NextDocument()
    {
        var doc = new BsonDocument();
        if (Chance(0.7))
        {
            doc.Add("_id", Chance(0.8) ? new BsonObjectId(NewObjectId()) : Value(1));
        }

        var n = _rng.Next(1, 15);
        for (var i = 0; i < n; i++)
        {
            AddRandomField(doc, Value(1));
        }

        return doc;
    }

    /// <summary>
    /// A few documents of unusual shape: many fields (past the document's lookup-index threshold),
    /// deep nesting, a long array, long strings and a large binary.
    /// </summary>
    public IEnumerable<BsonDocument> ShapeDocuments()
    {
        var wide = new BsonDocument();
        for (var i = 0; i < 300; i++)
        {
            wide.Add("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value(3));
        }

        yield return wide;

        BsonValue deep = new BsonDocument("leaf", "bottom");
        for (var i = 0; i < 40; i++)
        {
            deep = i % 2 == 0 ? new BsonDocument("d", deep) : new BsonArray { deep, i };
        }

        yield return new BsonDocument("deep", deep);

        var array = new BsonArray();
        for (var i = 0; i < 2000; i++)
        {
            array.Add(Value(4));
        }

        yield return new BsonDocument { { "_id", 1 }, { "items", array } };

        yield return new BsonDocument
        {
            { "text", RandomString(20_000, allowNul: true) },
            { "ascii", new string('x', 70_000) },
            { "blob", new BsonBinaryData(Bytes(100_000)) },
            { "old", new BsonBinaryData(Bytes(5_000), BsonBinarySubtype.BinaryOld) },
            { "uuid", BsonBinaryData.FromGuid(new Guid(Bytes(16))) },
            { "empty", new BsonDocument() },
            { "emptyArray", new BsonArray() },
            { "emptyCode", new BsonJavaScriptWithScope(string.Empty, new BsonDocument()) },
        };
    }

    private BsonValue Value(int depth)
    {
        var type = depth < 5 && Chance(0.16) ? Pick(ContainerTypes) : Pick(LeafTypes);
        return type switch
        {
            BsonType.Double => new BsonDouble(RandomDouble()),
            BsonType.String => new BsonString(RandomString(Chance(0.05) ? 300 : 24, allowNul: true)),
            BsonType.Document => Document(depth),
            BsonType.Array => Array(depth),
            BsonType.Binary => RandomBinary(),
            BsonType.Undefined => BsonUndefined.Value,
            BsonType.ObjectId => new BsonObjectId(NewObjectId()),
            BsonType.Boolean => BsonBoolean.Create(Chance(0.5)),
            BsonType.DateTime => new BsonDateTime(RandomDate()),
            BsonType.Null => BsonNull.Value,
            BsonType.RegularExpression => new BsonRegularExpression(RandomString(16, allowNul: false), RandomOptions()),
            BsonType.DbPointer => new BsonDbPointer(Chance(0.7) ? "db.coll" + _rng.Next(100) : RandomString(12, allowNul: false), NewObjectId()),
            BsonType.JavaScript => new BsonJavaScript(RandomString(40, allowNul: true)),
            BsonType.Symbol => new BsonSymbol(RandomString(16, allowNul: true)),
            BsonType.JavaScriptWithScope => new BsonJavaScriptWithScope(RandomString(40, allowNul: true), Document(depth)),
            BsonType.Int32 => BsonInt32.Create(RandomInt32()),
            BsonType.Timestamp => new BsonTimestamp(Chance(0.2) ? uint.MaxValue : (uint)_rng.NextInt64(0, 1L << 32), (uint)_rng.NextInt64(0, 1L << 32)),
            BsonType.Int64 => new BsonInt64(RandomInt64()),
            BsonType.Decimal128 => new BsonDecimal128(RandomDecimal()),
            BsonType.MinKey => BsonMinKey.Value,
            BsonType.MaxKey => BsonMaxKey.Value,
            _ => throw new InvalidOperationException(type.ToString()),
        };
    }

    private BsonDocument Document(int depth)
    {
        var doc = new BsonDocument();
        var n = _rng.Next(0, Math.Max(2, 9 - (depth * 2)));
        for (var i = 0; i < n; i++)
        {
            AddRandomField(doc, Value(depth + 1));
        }

        return doc;
    }

    private BsonArray Array(int depth)
    {
        var array = new BsonArray();
        var n = Chance(0.1) ? 0 : _rng.Next(1, Math.Max(2, 11 - (depth * 2)));
        for (var i = 0; i < n; i++)
        {
            array.Add(Value(depth + 1));
        }

        return array;
    }

    private void AddRandomField(BsonDocument doc, BsonValue value)
    {
        while (true)
        {
            var key = Chance(0.12) ? Pick(SpecialKeys)
                : Chance(0.6) ? RandomAsciiKey()
                : RandomString(10, allowNul: false);
            if (key.Length > 0 && key.All(char.IsAsciiDigit))
            {
                continue;
            }

            if (key is "$ref" or "$id" or "$db" || doc.Contains(key))
            {
                continue;
            }

            doc.Add(key, value);
            return;
        }
    }

    private string RandomAsciiKey()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789";
        var chars = new char[_rng.Next(1, 13)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[_rng.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private string RandomString(int maxLength, bool allowNul)
    {
        var length = Chance(0.1) ? 0 : _rng.Next(1, maxLength + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(char.ConvertFromUtf32(RandomCodePoint(allowNul)));
        }

        return text.ToString();
    }

    private int RandomCodePoint(bool allowNul)
    {
        var r = _rng.Next(100);
        if (r < 55)
        {
            return _rng.Next(0x20, 0x7F);
        }

        if (r < 60)
        {
            return allowNul && Chance(0.3) ? 0 : _rng.Next(1, 0x20);
        }

        if (r < 70)
        {
            return _rng.Next(0x80, 0x800);
        }

        if (r < 85)
        {
            var cp = _rng.Next(0x800, 0xFFFE);
            return cp is >= 0xD800 and <= 0xDFFF ? cp + 0x800 : cp;
        }

        if (r < 88)
        {
            return Pick([0xFEFF, 0xFFFD, 0xFFFF, 0x7F, 0x80, 0x7FF, 0x800]);
        }

        return Chance(0.1) ? Pick([0x10000, 0x10FFFF, 0x1F600]) : _rng.Next(0x10000, 0x110000);
    }

    private double RandomDouble() => _rng.Next(5) switch
    {
        0 => Pick(SpecialDoubles),
        1 => FoldNaN(BitConverter.Int64BitsToDouble(_rng.NextInt64(long.MinValue, long.MaxValue))),
        2 => BitConverter.Int64BitsToDouble(_rng.NextInt64(0, 1L << 52) | (Chance(0.5) ? long.MinValue : 0)),
        3 => _rng.Next(-1_000_000, 1_000_001) / (double)Pick([1, 4, 10, 100, 1000, 3]),
        _ => (_rng.NextDouble() - 0.5) * Math.Pow(10, _rng.Next(-30, 31)),
    };

    private static double FoldNaN(double value) => double.IsNaN(value) ? BitConverter.Int64BitsToDouble(0x7FF8000000000000) : value;

    private long RandomDate() => _rng.Next(5) switch
    {
        0 => Pick([0L, -1L, 1L, MaxJsDate, -MaxJsDate, 253402300799999L, 253402300800000L, -62135596800000L]),
        1 => _rng.NextInt64(-MaxJsDate, MaxJsDate + 1),
        2 => -_rng.NextInt64(1, 1L << 40),
        _ => _rng.NextInt64(1_500_000_000_000, 2_000_000_000_000),
    };

    private int RandomInt32() => _rng.Next(4) switch
    {
        0 => Pick([0, 1, -1, int.MaxValue, int.MinValue, 255, 256, -16, -17]),
        1 => _rng.Next(-100, 1001),
        _ => (int)_rng.NextInt64(int.MinValue, (long)int.MaxValue + 1),
    };

    private long RandomInt64() => _rng.Next(4) switch
    {
        0 => Pick([0L, 1L, -1L, long.MaxValue, long.MinValue, 1L << 53, -(1L << 53), 1L << 31, int.MinValue]),
        1 => _rng.Next(-100_000, 100_001),
        _ => _rng.NextInt64(long.MinValue, long.MaxValue),
    };

    /// <summary>Any 128-bit pattern, so both writers' handling of every encoding is compared.</summary>
    private Decimal128 RandomDecimal()
    {
        switch (_rng.Next(4))
        {
            case 0:
                // Specials: +-0 at several exponents, NaN, sNaN, +-Infinity, extremes.
                return Pick(
                [
                    new Decimal128(0x3040000000000000, 0), new Decimal128(0xB040000000000000, 0),
                    new Decimal128(0x7C00000000000000, 0), new Decimal128(0xFC00000000000000, 0),
                    new Decimal128(0x7E00000000000000, 0), new Decimal128(0x7800000000000000, 0),
                    new Decimal128(0xF800000000000000, 0), new Decimal128(0x5FFFED09BEAD87C0, 0x378D8E63FFFFFFFF),
                    new Decimal128(0x0000000000000000, 1), new Decimal128(0x303E000000000000, 10),
                    new Decimal128(0x3040000000000000, 1), new Decimal128(0x6000000000000000, 0),
                ]);
            case 1:
                {
                    // A small coefficient with a small exponent: 1.5, -0.001, 12E+5 and the like.
                    var exponent = (ulong)(6176 + _rng.Next(-20, 11));
                    var high = exponent << 49 | (Chance(0.4) ? 0x8000000000000000 : 0);
                    return new Decimal128(high, (ulong)_rng.NextInt64(0, 100_000_000));
                }

            case 2:
                {
                    // A canonical finite value: coefficient below 2^113 and any exponent.
                    var high = (ulong)_rng.NextInt64(long.MinValue, long.MaxValue);
                    high &= 0x8001FFFFFFFFFFFF;
                    high |= (ulong)_rng.Next(0, 12288) << 49;
                    return new Decimal128(high, (ulong)_rng.NextInt64(long.MinValue, long.MaxValue));
                }

            default:
                {
                    var raw = Bytes(16);
                    return new Decimal128(BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(8)), BinaryPrimitives.ReadUInt64LittleEndian(raw));
                }
        }
    }

    private BsonBinaryData RandomBinary()
    {
        var subtype = Pick(Subtypes);
        switch (subtype)
        {
            case BsonBinarySubtype.UuidLegacy or BsonBinarySubtype.Md5:
                return new BsonBinaryData(Bytes(16), subtype);
            case BsonBinarySubtype.Uuid:
                return new BsonBinaryData(Bytes(Chance(0.9) ? 16 : Pick([0, 3, 20])), subtype);
            case BsonBinarySubtype.Vector:
                {
                    var n = _rng.Next(0, 9);
                    var vector = _rng.Next(3) switch
                    {
                        0 => [0x03, 0, .. Bytes(n)], // int8
                        1 => [0x27, 0, .. Bytes(n * 4)], // float32
                        _ => PackedBits(n),
                    };
                    return new BsonBinaryData(vector, subtype);
                }

            default:
                return new BsonBinaryData(Bytes(Chance(0.1) ? 0 : _rng.Next(1, Chance(0.05) ? 600 : 41)), subtype);
        }
    }

    private byte[] PackedBits(int n)
    {
        if (n == 0)
        {
            return [0x10, 0];
        }

        var padding = _rng.Next(8);
        byte[] bits = [0x10, (byte)padding, .. Bytes(n)];
        bits[^1] &= (byte)(0xFF << padding);
        return bits;
    }

    private string RandomOptions()
    {
        var options = new StringBuilder();
        foreach (var c in "ilmsux")
        {
            if (Chance(0.3))
            {
                options.Append(c);
            }
        }

        return options.ToString();
    }

    private ObjectId NewObjectId() => new(Bytes(12));

    private byte[] Bytes(int n)
    {
        var bytes = new byte[n];
        _rng.NextBytes(bytes);
        return bytes;
    }

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];
#pragma warning restore CA5394
}
