using System.Globalization;
using DistributedSync.Bson.Tests.Decimal;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>
/// Generators aimed at the comparer's hard cases: the same number in several types, values at
/// the edges of the integer and double ranges, strings around the surrogate range, and small
/// documents and arrays of such values, so that equal and adjacent values meet often.
/// </summary>
internal static class ComparisonGen
{
    /// <summary>Numbers written exactly as decimal strings; each becomes every type that can hold it.</summary>
    private static readonly string[] Landmarks =
    [
        "0", "1", "-1", "2", "0.5", "-0.5", "0.1", "3", "10",
        "2147483647", "-2147483648", "2147483648",
        "9007199254740992", "9007199254740993", "9007199254740994", "-9007199254740993",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "9223372036854775806", "18446744073709551616",
        "1E+308", "1.7976931348623157E+308", "1E+400", "-1E+400", "5E-324", "1E-400",
        "0.1000000000000000055511151231257827", "0.3333333333333333333333333333333333",
    ];

    private static readonly string[] Texts =
    [
        "", "a", "b", "ab", "a\0", "A", "é", "\u00FF", "\u0100", "\uD7FF", "\uE000", "\uFFFF", "\uFFFD",
        "\U00010000", "\U0001F600", "a\U0001F600", "a\uFFFF", "z",
    ];

    private static readonly string[] Names = ["a", "b", "", "é", "\U0001F600", "\uFFFF"];

    /// <summary>Numbers of all four types, with landmark values rendered in every type that is exact for them.</summary>
    public static Gen<BsonValue> Number { get; } = Gen.Frequency(
        (6, Gen.Elements(Landmarks).SelectMany(AsAnyNumericType)),
        (2, Gen.Elements<BsonValue>(
            new BsonDouble(double.NaN), new BsonDouble(-double.NaN), new BsonDouble(double.PositiveInfinity),
            new BsonDouble(double.NegativeInfinity), new BsonDouble(-0.0), new BsonDouble(0.0),
            new BsonDecimal128(Decimal128.NaN), new BsonDecimal128(Decimal128.Parse("-NaN")),
            new BsonDecimal128(Decimal128.PositiveInfinity), new BsonDecimal128(Decimal128.NegativeInfinity),
            new BsonDecimal128(Decimal128.Parse("-0.000")), new BsonDecimal128(Decimal128.Parse("0E+50")),
            BsonInt32.Create(int.MaxValue), BsonInt32.Create(int.MinValue),
            new BsonInt64(long.MaxValue), new BsonInt64(long.MinValue),
            new BsonDouble(double.MaxValue), new BsonDouble(double.Epsilon))),
        (2, Gen.Choose(-20, 20).Select(i => (BsonValue)BsonInt32.Create(i))),
        (2, Gen.Choose(-40, 40).Select(i => (BsonValue)new BsonDouble(i / 4.0))),
        (2, Decimal128Gen.Finite(-3, 3).Select(d => (BsonValue)new BsonDecimal128(d))),
        (1, Decimal128Gen.Finite(-330, 310).Select(d => (BsonValue)new BsonDecimal128(d))));

    /// <summary>A string or a symbol from a pool around the UTF-16/UTF-8 ordering differences.</summary>
    public static Gen<BsonValue> Text { get; } =
        from text in Gen.Elements(Texts)
        from symbol in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        select symbol ? (BsonValue)new BsonSymbol(text) : new BsonString(text);

    /// <summary>Any BSON value; containers nest at most <paramref name="depth"/> levels.</summary>
    public static Gen<BsonValue> Value(int depth)
    {
        var scalars = Gen.Frequency(
            (8, Number),
            (4, Text),
            (1, Gen.Elements<BsonValue>(BsonMinKey.Value, BsonMaxKey.Value, BsonNull.Value, BsonUndefined.Value)),
            (1, Gen.Elements(false, true).Select(b => (BsonValue)BsonBoolean.Create(b))),
            (1, Gen.Elements(long.MinValue, -1L, 0L, 1L, long.MaxValue).Select(ms => (BsonValue)new BsonDateTime(ms))),
            (1, Gen.Elements(0UL, 1UL, 0x7FFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL, ulong.MaxValue).Select(t => (BsonValue)BsonTimestamp.FromValue(t))),
            (1, Binary),
            (1, Gen.Elements("000000000000000000000000", "000000000000000000000001", "7fffffffffffffffffffffff", "800000000000000000000000", "ffffffffffffffffffffffff").Select(h => (BsonValue)new BsonObjectId(ObjectId.Parse(h)))),
            (1, from p in Gen.Elements("a", "b", "a\uFFFF", "a\U0001F600") from o in Gen.Elements("", "i", "im", "m") select (BsonValue)new BsonRegularExpression(p, o)),
            (1, from ns in Gen.Elements("a", "b", "ab", "é", "\uFFFF") from id in Gen.Elements("000000000000000000000000", "ffffffffffffffffffffffff") select (BsonValue)new BsonDbPointer(ns, ObjectId.Parse(id))),
            (1, Gen.Elements("", "x", "y", "x\U0001F600").Select(c => (BsonValue)new BsonJavaScript(c))));
        if (depth <= 0)
        {
            return scalars;
        }

        var inner = Value(depth - 1);
        return Gen.Frequency(
            (10, scalars),
            (2, Document(inner).Select(d => (BsonValue)d)),
            (2, from count in Gen.Choose(0, 3) from items in Gen.ListOf(inner, count) select (BsonValue)new BsonArray(items)),
            (1, from code in Gen.Elements("f", "g") from scope in Document(inner) select (BsonValue)new BsonJavaScriptWithScope(code, scope)));
    }

    private static Gen<BsonValue> Binary { get; } =
        from length in Gen.Choose(0, 3)
        from bytes in Gen.ArrayOf(Gen.Elements<byte>(0, 1, 0x7F, 0x80, 0xFF), length)
        from subtype in Gen.Elements(BsonBinarySubtype.Generic, BsonBinarySubtype.Function, BsonBinarySubtype.UserDefined)
        select (BsonValue)new BsonBinaryData(bytes, subtype);

    private static Gen<BsonDocument> Document(Gen<BsonValue> values) =>
        from count in Gen.Choose(0, 3)
        from names in Gen.ListOf(Gen.Elements(Names), count)
        from items in Gen.ListOf(values, count)
        select Build(names, items);

    private static BsonDocument Build(IReadOnlyList<string> names, IReadOnlyList<BsonValue> values)
    {
        var document = new BsonDocument();
        for (var i = 0; i < names.Count; i++)
        {
            document.Set(names[i], values[i]);
        }

        return document;
    }

    /// <summary>The landmark as a uniformly chosen type among those that hold it exactly (decimal always does).</summary>
    private static Gen<BsonValue> AsAnyNumericType(string text)
    {
        var decimalValue = Decimal128.Parse(text);
        var options = new List<BsonValue> { new BsonDecimal128(decimalValue) };
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            options.Add(new BsonInt64(l));
            if (l is >= int.MinValue and <= int.MaxValue)
            {
                options.Add(BsonInt32.Create((int)l));
            }
        }

        // The nearest double: the same number when exact, a neighbouring one otherwise.
        options.Add(new BsonDouble(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));

        // A cohort member with trailing zeros, where one fits.
        if (decimalValue.Coefficient != 0 && decimalValue.Coefficient < Decimal128.PowerOfTen(30))
        {
            options.Add(new BsonDecimal128(Decimal128.FromParts(decimalValue.IsNegative, decimalValue.Coefficient * 1000, decimalValue.Exponent - 3)));
        }

        return Gen.Elements(options.ToArray());
    }
}
