using System.Globalization;
using System.Numerics;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>
/// Test helpers for numbers: a compact notation for theory data (<c>i:1</c> Int32, <c>l:1</c>
/// Int64, <c>d:1.0</c> Double, <c>m:1.00</c> Decimal128) and an exact reference order computed
/// with big rationals, independent of the comparer under test.
/// </summary>
internal static class NumberText
{
    /// <summary>Builds the value a notation string describes.</summary>
    public static BsonValue Parse(string text) => text[..2] switch
    {
        "i:" => BsonInt32.Create(int.Parse(text[2..], CultureInfo.InvariantCulture)),
        "l:" => new BsonInt64(long.Parse(text[2..], CultureInfo.InvariantCulture)),
        "d:" => new BsonDouble(double.Parse(text[2..], NumberStyles.Float, CultureInfo.InvariantCulture)),
        "m:" => new BsonDecimal128(Decimal128.Parse(text[2..])),
        _ => throw new ArgumentException($"Unknown number notation '{text}'.", nameof(text)),
    };

    /// <summary>
    /// The reference order of two numbers: NaN lowest (and equal to NaN), then -Infinity, the
    /// finite values by exact rational value, +Infinity.
    /// </summary>
    public static int ReferenceCompare(BsonValue x, BsonValue y)
    {
        var (xRank, xNum, xDen) = Exact(x);
        var (yRank, yNum, yDen) = Exact(y);
        if (xRank != yRank)
        {
            return xRank < yRank ? -1 : 1;
        }

        return xRank == 2 ? (xNum * yDen).CompareTo(yNum * xDen) : 0;
    }

    /// <summary>(rank, numerator, denominator): rank 0 NaN, 1 -Infinity, 2 finite, 3 +Infinity.</summary>
    private static (int Rank, BigInteger Numerator, BigInteger Denominator) Exact(BsonValue value)
    {
        switch (value)
        {
            case BsonInt32 i:
                return (2, i.Value, BigInteger.One);
            case BsonInt64 l:
                return (2, l.Value, BigInteger.One);
            case BsonDouble d when double.IsNaN(d.Value):
                return (0, 0, 1);
            case BsonDouble d when double.IsInfinity(d.Value):
                return (d.Value < 0 ? 1 : 3, 0, 1);
            case BsonDouble d:
            {
                var bits = BitConverter.DoubleToInt64Bits(d.Value);
                var biased = (int)((bits >> 52) & 0x7FF);
                var mantissa = new BigInteger(bits & 0xF_FFFF_FFFF_FFFFL);
                if (biased != 0)
                {
                    mantissa += BigInteger.One << 52;
                }

                var exponent = (biased == 0 ? 1 : biased) - 1075;
                var numerator = exponent >= 0 ? mantissa << exponent : mantissa;
                var denominator = exponent >= 0 ? BigInteger.One : BigInteger.One << -exponent;
                return (2, d.Value < 0 || (d.Value == 0 && double.IsNegative(d.Value)) ? -numerator : numerator, denominator);
            }

            case BsonDecimal128 m when m.Value.IsNaN:
                return (0, 0, 1);
            case BsonDecimal128 m when m.Value.IsInfinity:
                return (m.Value.IsNegative ? 1 : 3, 0, 1);
            case BsonDecimal128 m:
            {
                // Through the string form, so that the reference does not share decoding code.
                var text = m.Value.ToString();
                var mantissaText = text;
                var exponent = 0;
                var e = text.IndexOf('E', StringComparison.Ordinal);
                if (e >= 0)
                {
                    mantissaText = text[..e];
                    exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                }

                var point = mantissaText.IndexOf('.', StringComparison.Ordinal);
                if (point >= 0)
                {
                    exponent -= mantissaText.Length - point - 1;
                    mantissaText = mantissaText.Remove(point, 1);
                }

                var coefficient = BigInteger.Parse(mantissaText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                return exponent >= 0
                    ? (2, coefficient * BigInteger.Pow(10, exponent), BigInteger.One)
                    : (2, coefficient, BigInteger.Pow(10, -exponent));
            }

            default:
                throw new ArgumentException($"{value.Type} is not a number.", nameof(value));
        }
    }
}
