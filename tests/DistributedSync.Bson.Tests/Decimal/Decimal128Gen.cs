using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Bson.Tests.Decimal;

/// <summary>FsCheck generators of Decimal128 values, built from sign, digits and exponent.</summary>
internal static class Decimal128Gen
{
    /// <summary>A coefficient of 1 to 34 digits (leading zeros allowed, so small values are common too).</summary>
    public static Gen<UInt128> Coefficient { get; } =
        from length in Gen.Frequency((3, Gen.Choose(1, 4)), (2, Gen.Choose(5, 20)), (2, Gen.Choose(21, 34)))
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), length)
        from trailingZeros in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        select TrimToMaxDigits(string.Concat(digits) + new string('0', trailingZeros));

    /// <summary>Canonical finite values with exponents in [<paramref name="minExponent"/>, <paramref name="maxExponent"/>].</summary>
    public static Gen<Decimal128> Finite(int minExponent, int maxExponent) =>
        from negative in Gen.Elements(false, true)
        from coefficient in Coefficient
        from exponent in Gen.Choose(minExponent, maxExponent)
        select Decimal128.FromParts(negative, coefficient, exponent);

    /// <summary>Canonical finite values over the whole exponent range, mostly near 0.</summary>
    public static Gen<Decimal128> AnyFinite { get; } = Gen.Frequency(
        (3, Finite(-40, 10)),
        (1, Finite(Decimal128.MinExponent, Decimal128.MaxExponent)),
        (1, Finite(Decimal128.MinExponent, Decimal128.MinExponent + 40)),
        (1, Finite(Decimal128.MaxExponent - 40, Decimal128.MaxExponent)));

    /// <summary>Finite values plus NaN and the infinities.</summary>
    public static Gen<Decimal128> Any { get; } = Gen.Frequency(
        (20, AnyFinite),
        (1, Gen.Elements(Decimal128.NaN, Decimal128.PositiveInfinity, Decimal128.NegativeInfinity, new Decimal128(0xFC00_0000_0000_0000UL, 7))));

    private static UInt128 TrimToMaxDigits(string digits)
        => UInt128.Parse(digits.Length > 34 ? digits[..34] : digits, CultureInfo.InvariantCulture);
}
