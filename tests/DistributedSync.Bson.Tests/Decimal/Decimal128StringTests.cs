using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Decimal;

/// <summary>Parse and ToString beyond the corpus: grammar corners, exactness, round trips.</summary>
public sealed class Decimal128StringTests
{
    public static TheoryData<string, string> Formatted => new()
    {
        { "0", "0" },
        { "-0", "-0" },
        { "0.000", "0.000" },
        { "0E+3", "0E+3" },
        { "123", "123" },
        { "-12.70", "-12.70" },
        { "+0.003", "0.003" },
        { "017.", "17" },
        { ".5", "0.5" },
        { "4E+9", "4E+9" },
        { "0.73e-7", "7.3E-8" },
        { "0.000001", "0.000001" },
        { "0.0000001", "1E-7" },
        { "1.00E-6", "0.00000100" },
        { "12345E-10", "0.0000012345" },
        { "12345E-11", "1.2345E-7" },
        { "1E0", "1" },
        { "10E-1", "1.0" },
        { "1E1", "1E+1" },
        { "Inf", "Infinity" },
        { "-INFINITY", "-Infinity" },
        { "+nan", "NaN" },
        { "-nAn", "NaN" },
        { "0e-999999999999999999999999999", "0E-6176" },
        { "-0e+999999999999999999999999999", "-0E+6111" },
        { "1234567890123456789012345678901234000000000000E-12", "1234567890123456789012345678901234" },
        { "9.999999999999999999999999999999999E+6144", "9.999999999999999999999999999999999E+6144" },
        { "1E+6144", "1.000000000000000000000000000000000E+6144" },
        { "100E-6178", "1E-6176" },
    };

    public static TheoryData<string> Rejected => new()
    {
        "1E+6145",
        "10000000000000000000000000000000000E+6111",
        "12345678901234567890123456789012345",
        "1.0000000000000000000000000000000001",
        "1E-6177",
        "11E-6177",
        "1e+999999999999999999999999",
        "1e-999999999999999999999999",
        "sNaN",
        "NaN1",
        "Infinit",
        "1_000",
        "١",
        "1\u00A0",
        "+",
        "-",
        "e5",
        "0x10",
    };

    [Theory]
    [MemberData(nameof(Formatted))]
    public void Parse_ThenToString_GivesTheSpecifiedForm(string input, string expected)
        => Assert.Equal(expected, Decimal128.Parse(input).ToString());

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Parse_RejectsInexactOrMalformedText(string input)
    {
        Assert.False(Decimal128.TryParse(input, out _));
        Assert.Throws<FormatException>(() => Decimal128.Parse(input));
    }

    [Fact]
    public void TryParse_OfNull_IsFalse_AndParseOfNullThrows()
    {
        Assert.False(Decimal128.TryParse((string?)null, out _));
        Assert.Throws<ArgumentNullException>(() => Decimal128.Parse(null!));
    }

    [Fact]
    public void Parse_KeepsTheWrittenExponent()
    {
        var a = Decimal128.Parse("2.0");
        var b = Decimal128.Parse("2.00");

        Assert.Equal(-1, a.Exponent);
        Assert.Equal(-2, b.Exponent);
        Assert.Equal((UInt128)20, a.Coefficient);
        Assert.Equal((UInt128)200, b.Coefficient);
        Assert.NotEqual(a, b);
        Assert.Equal(0, Decimal128.Compare(a, b));
    }

    [Fact]
    public void Parse_NegativeNaN_KeepsTheSign_AndPrintsNaN()
    {
        var value = Decimal128.Parse("-NaN");

        Assert.True(value.IsNaN);
        Assert.True(value.IsNegative);
        Assert.Equal("NaN", value.ToString());
    }

    [Fact]
    public void Parse_OfToString_ReturnsTheSameEncoding_ForAnyCanonicalValue()
    {
        var prop = Prop.ForAll(
            Decimal128Gen.AnyFinite.ToArbitrary(),
            value => Decimal128.Parse(value.ToString()) == value);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), prop);
    }

    [Fact]
    public void ToString_UsesPlainNotation_ExactlyWhenTheSpecificationSays()
    {
        var prop = Prop.ForAll(
            Decimal128Gen.Finite(-60, 20).ToArbitrary(),
            value =>
            {
                var digits = value.Coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                var plain = value.Exponent <= 0 && value.Exponent + digits - 1 >= -6;
                return value.ToString().Contains('E', StringComparison.Ordinal) != plain;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), prop);
    }
}
