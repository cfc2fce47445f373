using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Decimal;

/// <summary>Constants and conversions to and from double, long and decimal.</summary>
public sealed class Decimal128ConversionTests
{
    public static TheoryData<string, double> Doubles => new()
    {
        { "0.1", 0.1 },
        { "-0", -0.0 },
        { "0E+6111", 0.0 },
        { "1E+6144", double.PositiveInfinity },
        { "-1E+309", double.NegativeInfinity },
        { "1E-6176", 0.0 },
        { "-1E-400", -0.0 },
        { "9007199254740993", 9007199254740992.0 },
        { "9007199254740995", 9007199254740996.0 },
        { "9007199254740993.000000000000000001", 9007199254740994.0 },
        { "1.7976931348623157E+308", double.MaxValue },
        { "4.9406564584124654E-324", double.Epsilon },
        { "2.4703282292062328E-324", double.Epsilon },
        { "2.4703282292062327E-324", 0.0 },
        { "123456789012345678901234567890.1234", 1.2345678901234568E+29 },
        { "Infinity", double.PositiveInfinity },
        { "-Infinity", double.NegativeInfinity },
    };

    private static readonly Gen<uint> UInt32 =
        from high in Gen.Choose(0, 0xFFFF)
        from low in Gen.Choose(0, 0xFFFF)
        select ((uint)high << 16) | (uint)low;

    [Fact]
    public void Constants_HaveTheirSpecifiedStrings()
    {
        Assert.Equal("0", Decimal128.Zero.ToString());
        Assert.Equal("1", Decimal128.One.ToString());
        Assert.Equal("-1", Decimal128.MinusOne.ToString());
        Assert.Equal("NaN", Decimal128.NaN.ToString());
        Assert.Equal("Infinity", Decimal128.PositiveInfinity.ToString());
        Assert.Equal("-Infinity", Decimal128.NegativeInfinity.ToString());
        Assert.Equal("9.999999999999999999999999999999999E+6144", Decimal128.MaxValue.ToString());
        Assert.Equal("-9.999999999999999999999999999999999E+6144", Decimal128.MinValue.ToString());
        Assert.Equal(new Decimal128(0x5FFF_ED09_BEAD_87C0UL, 0x378D_8E63_FFFF_FFFFUL), Decimal128.MaxValue);
        Assert.Equal(new Decimal128(0x3040_0000_0000_0000UL, 0), Decimal128.Zero);
    }

    [Fact]
    public void Predicates_ClassifyTheSpecialValues()
    {
        Assert.True(Decimal128.Parse("-0.00").IsZero);
        Assert.True(Decimal128.Parse("0E+6111").IsZero);
        Assert.False(Decimal128.Parse("1E-6176").IsZero);
        Assert.False(Decimal128.NaN.IsZero);
        Assert.False(Decimal128.PositiveInfinity.IsZero);
        Assert.True(new Decimal128(0x6C11_FFFF_FFFF_FFFFUL, ulong.MaxValue).IsZero);
        Assert.True(new Decimal128(0x3041_ED09_BEAD_87C0UL, 0x378D_8E64_0000_0000UL).IsZero);
        Assert.True(Decimal128.One.IsFinite);
        Assert.False(Decimal128.NegativeInfinity.IsFinite);
        Assert.False(Decimal128.NaN.IsFinite);
        Assert.True(new Decimal128(0x7E00_0000_0000_0000UL, 0).IsSignalingNaN);
        Assert.False(Decimal128.NaN.IsSignalingNaN);
    }

    [Theory]
    [MemberData(nameof(Doubles))]
    public void ToDouble_RoundsToNearestEven(string text, double expected)
    {
        var actual = Decimal128.Parse(text).ToDouble();

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Fact]
    public void ToDouble_OfNaN_IsNaN() => Assert.True(double.IsNaN(Decimal128.Parse("-NaN").ToDouble()));

    [Fact]
    public void ToDouble_AgreesWithCorrectlyRoundedParsing_OfTheString()
    {
        var prop = Prop.ForAll(
            Decimal128Gen.Finite(-40, 30).ToArbitrary(),
            value =>
            {
                var expected = double.Parse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                return BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value.ToDouble());
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), prop);
    }

    [Fact]
    public void FromDouble_RoundTripsEveryDouble()
    {
        var doubles =
            from high in UInt32
            from low in UInt32
            let d = BitConverter.UInt64BitsToDouble(((ulong)high << 32) | low)
            where !double.IsNaN(d)
            select d;
        var prop = Prop.ForAll(
            doubles.ToArbitrary(),
            d => BitConverter.DoubleToInt64Bits(Decimal128.FromDouble(d).ToDouble()) == BitConverter.DoubleToInt64Bits(d));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), prop);
    }

    [Fact]
    public void FromDouble_UsesTheShortestRoundTripDigits()
    {
        Assert.Equal("0.1", Decimal128.FromDouble(0.1).ToString());
        Assert.Equal("-0", Decimal128.FromDouble(-0.0).ToString());
        Assert.Equal("1.7976931348623157E+308", Decimal128.FromDouble(double.MaxValue).ToString());
        Assert.Equal("5E-324", Decimal128.FromDouble(double.Epsilon).ToString());
        Assert.Equal("9007199254740992", Decimal128.FromDouble(9007199254740992.0).ToString());
        Assert.True(Decimal128.FromDouble(double.NaN).IsNaN);
        Assert.Equal(Decimal128.NegativeInfinity, Decimal128.FromDouble(double.NegativeInfinity));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1234567890123L)]
    public void FromInt64_IsExact(long value)
    {
        var d = Decimal128.FromInt64(value);

        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), d.ToString());
        Assert.Equal(0, d.Exponent);
    }

    [Fact]
    public void FromDecimal_ThenToDecimal_RoundTripsValueAndScale()
    {
        var decimals =
            from lo in UInt32
            from mid in UInt32
            from hi in Gen.Frequency((1, Gen.Constant(0u)), (3, UInt32))
            from negative in Gen.Elements(false, true)
            from scale in Gen.Choose(0, 28)
            select new decimal((int)lo, (int)mid, (int)hi, negative, (byte)scale);
        var prop = Prop.ForAll(
            decimals.ToArbitrary(),
            m =>
            {
                var d = Decimal128.FromDecimal(m);
                var back = d.ToDecimal();
                // (System.Decimal prints a negative zero without its sign.)
                return back == m && back.Scale == m.Scale && d.IsNegative == (decimal.GetBits(m)[3] < 0)
                    && (m == 0 || d.ToString() == Decimal128.Parse(m.ToString(CultureInfo.InvariantCulture)).ToString());
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), prop);
    }

    [Fact]
    public void ToDecimal_DropsTrailingZerosOnlyWhenNeeded()
    {
        Assert.Equal(1.50m, Decimal128.Parse("1.50").ToDecimal());
        Assert.Equal(2, Decimal128.Parse("1.50").ToDecimal().Scale);
        Assert.Equal(28, Decimal128.Parse("1.000000000000000000000000000000000").ToDecimal().Scale);
        Assert.Equal(12000m, Decimal128.Parse("1.2E+4").ToDecimal());
        Assert.Equal(decimal.MaxValue, Decimal128.Parse("79228162514264337593543950335").ToDecimal());
        Assert.Equal(0m, Decimal128.Parse("0E-6176").ToDecimal());
        Assert.Equal(0m, Decimal128.Parse("0E+6111").ToDecimal());
    }

    [Theory]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1E+29")]
    [InlineData("1E-29")]
    [InlineData("0.1234567890123456789012345678901234")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void ToDecimal_RejectsValuesItCannotHoldExactly(string text)
    {
        var value = Decimal128.Parse(text);

        Assert.False(value.TryToDecimal(out _));
        Assert.Throws<OverflowException>(() => value.ToDecimal());
    }
}
