using System.Numerics;
using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Decimal;

/// <summary>The numeric total order of Decimal128 values.</summary>
public sealed class Decimal128ComparisonTests
{
    public static TheoryData<string, string, int> Pairs => new()
    {
        { "1.0", "1.00", 0 },
        { "0", "-0E+6111", 0 },
        { "0E-6176", "-0", 0 },
        { "NaN", "-NaN", 0 },
        { "NaN", "-Infinity", -1 },
        { "-Infinity", "-9.999999999999999999999999999999999E+6144", -1 },
        { "9.999999999999999999999999999999999E+6144", "Infinity", -1 },
        { "Infinity", "Infinity", 0 },
        { "1E-6176", "0", 1 },
        { "-1E-6176", "0", -1 },
        { "1.000000000000000000000000000000001", "1", 1 },
        { "999999999999999999999999999999999.9", "1E+33", -1 },
        { "1E+33", "1000000000000000000000000000000000", 0 },
        { "12E+2", "1.2E+3", 0 },
        { "-12E+2", "-1.21E+3", 1 },
        { "9E+10", "1E+11", -1 },
        { "0.1", "0.09999999999999999999999999999999999", 1 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Compare_OrdersByNumericValue(string left, string right, int expected)
    {
        var a = Decimal128.Parse(left);
        var b = Decimal128.Parse(right);

        Assert.Equal(expected, Decimal128.Compare(a, b));
        Assert.Equal(-expected, Decimal128.Compare(b, a));
        Assert.Equal(expected, a.CompareTo(b));
        Assert.Equal(expected < 0, a < b);
        Assert.Equal(expected <= 0, a <= b);
        Assert.Equal(expected > 0, a > b);
        Assert.Equal(expected >= 0, a >= b);
    }

    [Fact]
    public void Compare_AgreesWithExactRationalComparison()
    {
        var values = Decimal128Gen.Finite(-45, 45);
        var prop = Prop.ForAll(
            values.ToArbitrary(),
            values.ToArbitrary(),
            (a, b) => Decimal128.Compare(a, b) == Reference(a).CompareTo(Reference(b)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), prop);
    }

    [Fact]
    public void Compare_OfACohortMember_IsZero_ThoughTheEncodingsDiffer()
    {
        // Appending zeros to the coefficient and lowering the exponent keeps the value.
        var prop = Prop.ForAll(
            Decimal128Gen.Finite(-100, 100).ToArbitrary(),
            Gen.Choose(1, 33).ToArbitrary(),
            (value, zeros) =>
            {
                var coefficient = value.Coefficient * Decimal128.PowerOfTen(zeros);
                if (coefficient > Decimal128.PowerOfTen(34) - 1 || coefficient / Decimal128.PowerOfTen(zeros) != value.Coefficient)
                {
                    return true;
                }

                var member = Decimal128.FromParts(value.IsNegative, coefficient, value.Exponent - zeros);
                return Decimal128.Compare(member, value) == 0 && Decimal128.Compare(value, member) == 0 && member != value;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), prop);
    }

    [Fact]
    public void AnyEncoding_SurvivesToStringAndParse_AsTheSameNumber()
    {
        // Random bit patterns include NaN payloads and non-canonical coefficients (read as 0).
        var prop = Prop.ForAll(
            BsonGen.Decimal128s.ToArbitrary(),
            value =>
            {
                var reparsed = Decimal128.Parse(value.ToString());
                return Decimal128.Compare(value, reparsed) == 0
                    && value.IsZero == reparsed.IsZero
                    && Decimal128.Parse(reparsed.ToString()) == reparsed;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), prop);
    }

    [Fact]
    public void Sort_PutsNaNFirstAndInfinitiesAtTheEnds()
    {
        var values = new[] { "1", "Infinity", "-0", "NaN", "-Infinity", "-1E+6144", "1E-6176" }.Select(Decimal128.Parse).ToArray();

        Array.Sort(values);

        Assert.Equal(["NaN", "-Infinity", "-1.000000000000000000000000000000000E+6144", "-0", "1E-6176", "1", "Infinity"], values.Select(v => v.ToString()));
    }

    /// <summary>The exact value scaled by 10^60, an integer for exponents of at least -60.</summary>
    private static BigInteger Reference(Decimal128 value)
    {
        var magnitude = (BigInteger)value.Coefficient * BigInteger.Pow(10, value.Exponent + 60);
        return value.IsNegative ? -magnitude : magnitude;
    }
}
