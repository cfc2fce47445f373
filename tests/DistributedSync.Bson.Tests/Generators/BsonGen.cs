using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Bson.Tests.Generators;

/// <summary>
/// FsCheck generators for every kind of <see cref="BsonValue"/>, for property tests across the
/// test project. Strings are valid UTF-16 (any scalar value, including supplementary planes and
/// embedded NUL where BSON allows it); doubles include NaN payloads, infinities, -0 and
/// subnormals; binary subtypes cover all 256 bytes. Nesting shrinks with FsCheck's size so
/// documents stay small. Use <see cref="Documents"/> / <see cref="Values"/> as arbitraries.
/// </summary>
public static class BsonGen
{
    private static readonly string[] NamePool = ["a", "b", "_id", "x", "$ref", "k.l", "é", ""];

    /// <summary>Uniform 32-bit patterns, built from two 16-bit halves.</summary>
    private static readonly Gen<int> Bits32 = Gen.Zip(Gen.Choose(0, 0xFFFF), Gen.Choose(0, 0xFFFF)).Select(t => (t.Item1 << 16) | t.Item2);

    /// <summary>Any Unicode scalar value except NUL, mostly ASCII.</summary>
    public static Gen<string> CStringChar { get; } = Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0x01, 0x1F).Select(c => ((char)c).ToString())),
        (2, Gen.Choose(0x80, 0xD7FF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0xE000, 0xFFFF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    /// <summary>A string with no NUL (a BSON C string: field names, regular expressions).</summary>
    public static Gen<string> CString { get; } = Gen.Sized(size =>
        Gen.Choose(0, Math.Max(0, size)).SelectMany(n => Gen.ArrayOf(CStringChar, n)).Select(string.Concat));

    /// <summary>Any valid string, sometimes with embedded NUL characters.</summary>
    public static Gen<string> Text { get; } = Gen.Sized(size =>
        Gen.Choose(0, Math.Max(0, size))
            .SelectMany(n => Gen.ArrayOf(Gen.Frequency((20, CStringChar), (1, Gen.Constant("\0"))), n))
            .Select(string.Concat));

    /// <summary>A field name: mostly short ASCII, sometimes any C string.</summary>
    public static Gen<string> FieldName { get; } = Gen.Frequency(
        (6, Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz_$.0123456789".ToCharArray()), n)).Select(c => new string(c))),
        (2, Gen.Elements(NamePool)),
        (1, CString));

    /// <summary>Any Int32, edge cases over-represented.</summary>
    public static Gen<int> Int32s { get; } = Gen.Frequency(
        (1, Gen.Elements(0, 1, -1, int.MinValue, int.MaxValue, 255, 256, -16, -17)),
        (3, ArbMap.Default.GeneratorFor<int>()),
        (2, Bits32));

    /// <summary>Any Int64, edge cases over-represented.</summary>
    public static Gen<long> Int64s { get; } = Gen.Frequency(
        (1, Gen.Elements(0L, 1L, -1L, long.MinValue, long.MaxValue, int.MaxValue + 1L, int.MinValue - 1L)),
        (4, Bits32.Two().Select(t => ((long)t.Item1 << 32) | (uint)t.Item2)));

    /// <summary>Any double, edge cases over-represented.</summary>
    public static Gen<double> Doubles { get; } = Gen.Frequency(
        (3, Gen.Elements(0.0, -0.0, 1.0, -1.0, double.NaN, -double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1.0e-308, 0.1, 1.0e15, 9007199254740993.0)),
        (3, Int64s.Select(BitConverter.Int64BitsToDouble)),
        (2, ArbMap.Default.GeneratorFor<double>()));

    /// <summary>Arbitrary bytes, up to the generation size.</summary>
    public static Gen<byte[]> Bytes { get; } = Gen.Sized(size =>
        Gen.Choose(0, Math.Max(0, size)).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n)));

    /// <summary>Any ObjectId.</summary>
    public static Gen<ObjectId> ObjectIds { get; } = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 12).Select(b => new ObjectId(b));

    /// <summary>Any Decimal128 encoding (including non-canonical ones), plus common values.</summary>
    public static Gen<Decimal128> Decimal128s { get; } = Gen.Frequency(
        (1, Gen.Elements(
            new Decimal128(0x3040000000000000UL, 0), new Decimal128(0x3040000000000000UL, 1), new Decimal128(0xB040000000000000UL, 1),
            new Decimal128(0x7C00000000000000UL, 0), new Decimal128(0x7800000000000000UL, 0), new Decimal128(0xF800000000000000UL, 0))),
        (3, Int64s.Two().Select(t => new Decimal128((ulong)t.Item1, (ulong)t.Item2))));

    /// <summary>Any scalar (non-container) value, every scalar type included.</summary>
    public static Gen<BsonValue> Scalar { get; } = Gen.OneOf(
        Doubles.Select(d => (BsonValue)new BsonDouble(d)),
        Text.Select(s => (BsonValue)new BsonString(s)),
        Gen.Zip(Bytes, Gen.Choose(0, 255)).Select(t => (BsonValue)new BsonBinaryData(t.Item1, (BsonBinarySubtype)t.Item2)),
        Gen.Constant<BsonValue>(BsonUndefined.Value),
        ObjectIds.Select(o => (BsonValue)new BsonObjectId(o)),
        Gen.Elements<BsonValue>(BsonBoolean.True, BsonBoolean.False),
        Int64s.Select(ms => (BsonValue)new BsonDateTime(ms)),
        Gen.Constant<BsonValue>(BsonNull.Value),
        Gen.Zip(CString, Gen.SubListOf("ilmsux".ToCharArray()).Select(l => new string([.. l]))).Select(t => (BsonValue)new BsonRegularExpression(t.Item1, t.Item2)),
        Gen.Zip(Text, ObjectIds).Select(t => (BsonValue)new BsonDbPointer(t.Item1, t.Item2)),
        Text.Select(s => (BsonValue)new BsonJavaScript(s)),
        Text.Select(s => (BsonValue)new BsonSymbol(s)),
        Int32s.Select(i => (BsonValue)BsonInt32.Create(i)),
        Gen.Zip(Int32s, Int32s).Select(t => (BsonValue)new BsonTimestamp((uint)t.Item1, (uint)t.Item2)),
        Int64s.Select(l => (BsonValue)new BsonInt64(l)),
        Decimal128s.Select(d => (BsonValue)new BsonDecimal128(d)),
        Gen.Constant<BsonValue>(BsonMinKey.Value),
        Gen.Constant<BsonValue>(BsonMaxKey.Value));

    /// <summary>Any value of any type, containers nested according to the generation size.</summary>
    public static Gen<BsonValue> Value { get; } = Gen.Sized(ValueOfSize);

    /// <summary>Any document with distinct field names.</summary>
    public static Gen<BsonDocument> Document { get; } = Gen.Sized(size => DocumentOfSize(size, duplicateNames: false));

    /// <summary>Any document, where names may repeat (as decoded BSON can; kept in order).</summary>
    public static Gen<BsonDocument> DocumentWithDuplicateNames { get; } = Gen.Sized(size => DocumentOfSize(size, duplicateNames: true));

    /// <summary><see cref="Document"/> as an arbitrary (no shrinking).</summary>
    public static Arbitrary<BsonDocument> Documents => Arb.From(Document);

    /// <summary><see cref="Value"/> as an arbitrary (no shrinking).</summary>
    public static Arbitrary<BsonValue> Values => Arb.From(Value);

    /// <summary>Values at most this large (containers get a third of it each level).</summary>
    public static Gen<BsonValue> ValueOfSize(int size)
    {
        if (size <= 1)
        {
            return Scalar;
        }

        var child = size / 3;
        return Gen.Frequency(
            (6, Scalar),
            (1, DocumentOfSize(child, duplicateNames: false).Select(d => (BsonValue)d)),
            (1, ArrayOfSize(child).Select(a => (BsonValue)a)),
            (1, Gen.Zip(Text, DocumentOfSize(child / 2, duplicateNames: false)).Select(t => (BsonValue)new BsonJavaScriptWithScope(t.Item1, t.Item2))));
    }

    /// <summary>A document whose values are at most <paramref name="size"/> large.</summary>
    public static Gen<BsonDocument> DocumentOfSize(int size, bool duplicateNames)
    {
        var names = duplicateNames ? Gen.Frequency((3, FieldName), (1, Gen.Elements(NamePool))) : FieldName;
        return Gen.Choose(0, Math.Min(8, 1 + (size / 10)))
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(names, ValueOfSize(size)), n))
            .Select(elements =>
            {
                var document = new BsonDocument(elements.Length);
                foreach (var (name, value) in elements)
                {
                    if (duplicateNames)
                    {
                        document.AppendUnchecked(name, value);
                    }
                    else if (!document.Contains(name))
                    {
                        document.Add(name, value);
                    }
                }

                return document;
            });
    }

    /// <summary>An array whose values are at most <paramref name="size"/> large.</summary>
    public static Gen<BsonArray> ArrayOfSize(int size)
        => Gen.Choose(0, Math.Min(8, 1 + (size / 10)))
            .SelectMany(n => Gen.ArrayOf(ValueOfSize(size), n))
            .Select(values => new BsonArray(values));

    /// <summary>A short human-readable description of a value's shape for failure messages.</summary>
    public static string Describe(BsonValue value)
    {
        var sb = new StringBuilder();
        Describe(value, sb);
        return sb.ToString();
    }

    private static void Describe(BsonValue value, StringBuilder sb)
    {
        switch (value)
        {
            case BsonDocument d:
                sb.Append('{');
                foreach (var e in d)
                {
                    sb.Append(e.Name).Append(':');
                    Describe(e.Value, sb);
                    sb.Append(',');
                }

                sb.Append('}');
                break;
            case BsonArray a:
                sb.Append('[');
                foreach (var v in a)
                {
                    Describe(v, sb);
                    sb.Append(',');
                }

                sb.Append(']');
                break;
            default:
                sb.Append(value.Type);
                break;
        }
    }
}
