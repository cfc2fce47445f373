using System.Numerics;

namespace DistributedSync.Bson;

/// <summary>
/// Exact comparison of Int32, Int64, Double and Decimal128 values: NaN (of either floating
/// type) equals NaN and is below every other number, -0 equals 0, and everything else compares
/// by mathematical value without any rounding.
/// </summary>
public sealed partial class BsonValueComparer
{
    private const double TwoToThe63 = 9223372036854775808.0;

    private static int CompareNumbers(BsonValue x, BsonValue y) => x switch
    {
        BsonInt32 i => CompareInt64To(i.Value, y),
        BsonInt64 l => CompareInt64To(l.Value, y),
        BsonDouble d => CompareDoubleTo(d.Value, y),
        _ => CompareDecimalTo(x.AsDecimal128, y),
    };

    private static int CompareInt64To(long x, BsonValue y) => y switch
    {
        BsonInt32 i => Sign(x.CompareTo(i.Value)),
        BsonInt64 l => Sign(x.CompareTo(l.Value)),
        BsonDouble d => CompareInt64ToDouble(x, d.Value),
        _ => -Decimal128.Compare(y.AsDecimal128, Decimal128.FromInt64(x)),
    };

    private static int CompareDoubleTo(double x, BsonValue y) => y switch
    {
        BsonInt32 i => -CompareInt64ToDouble(i.Value, x),
        BsonInt64 l => -CompareInt64ToDouble(l.Value, x),
        BsonDouble d => CompareDoubles(x, d.Value),
        _ => -CompareDecimalToDouble(y.AsDecimal128, x),
    };

    private static int CompareDecimalTo(Decimal128 x, BsonValue y) => y switch
    {
        BsonInt32 i => Decimal128.Compare(x, Decimal128.FromInt64(i.Value)),
        BsonInt64 l => Decimal128.Compare(x, Decimal128.FromInt64(l.Value)),
        BsonDouble d => CompareDecimalToDouble(x, d.Value),
        _ => Decimal128.Compare(x, y.AsDecimal128),
    };

    private static int CompareDoubles(double x, double y)
    {
        if (x < y)
        {
            return -1;
        }

        if (x > y)
        {
            return 1;
        }

        if (x == y)
        {
            return 0;
        }

        // At least one NaN: NaN equals NaN and is below everything else.
        return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : -1) : 1;
    }

    /// <summary>Exact comparison of a long and a double (no conversion of the long to double).</summary>
    internal static int CompareInt64ToDouble(long x, double y)
    {
        if (double.IsNaN(y))
        {
            return 1;
        }

        if (y >= TwoToThe63)
        {
            return -1;
        }

        if (y < -TwoToThe63)
        {
            return 1;
        }

        // -2^63 <= y < 2^63: its integer part is an exact long.
        var truncated = Math.Truncate(y);
        var whole = (long)truncated;
        if (x != whole)
        {
            return x < whole ? -1 : 1;
        }

        // Same integer part: the fraction decides.
        return y > truncated ? -1 : (y < truncated ? 1 : 0);
    }

    /// <summary>Exact comparison of a decimal and a double.</summary>
    internal static int CompareDecimalToDouble(Decimal128 x, double y)
    {
        if (x.IsNaN)
        {
            return double.IsNaN(y) ? 0 : -1;
        }

        if (double.IsNaN(y))
        {
            return 1;
        }

        var xSign = x.NumericSign;
        var ySign = Math.Sign(y);
        if (xSign != ySign)
        {
            return xSign < ySign ? -1 : 1;
        }

        if (xSign == 0)
        {
            return 0;
        }

        var magnitude = CompareMagnitudeToDouble(x, Math.Abs(y));
        return xSign > 0 ? magnitude : -magnitude;
    }

    /// <summary>Compares |x| (non-zero, not NaN) with <paramref name="y"/> (positive, not NaN).</summary>
    private static int CompareMagnitudeToDouble(Decimal128 x, double y)
    {
        if (x.IsInfinity)
        {
            return double.IsPositiveInfinity(y) ? 0 : 1;
        }

        if (double.IsPositiveInfinity(y))
        {
            return -1;
        }

        var coefficient = x.Coefficient;
        var exponent = x.Exponent;

        // Decimal logarithms settle every case but near-ties; their error is far below 1e-6.
        var estimate = exponent + Math.Log10((double)coefficient) - Math.Log10(y);
        if (estimate > 1e-6)
        {
            return 1;
        }

        if (estimate < -1e-6)
        {
            return -1;
        }

        // Near-tie: here both values lie within the double range, so the integers stay small.
        DecomposeDouble(y, out var mantissa, out var binaryExponent);
        BigInteger left = coefficient;
        var right = new BigInteger(mantissa);
        if (exponent >= 0)
        {
            left *= BigInteger.Pow(10, exponent);
        }
        else
        {
            right *= BigInteger.Pow(10, -exponent);
        }

        if (binaryExponent >= 0)
        {
            right <<= binaryExponent;
        }
        else
        {
            left <<= -binaryExponent;
        }

        return left.CompareTo(right);
    }

    /// <summary>Splits a positive finite double into mantissa × 2^exponent.</summary>
    private static void DecomposeDouble(double value, out ulong mantissa, out int exponent)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var biased = (int)((bits >> 52) & 0x7FF);
        mantissa = bits & 0x000F_FFFF_FFFF_FFFFUL;
        if (biased == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1UL << 52;
            exponent = biased - 1075;
        }
    }
}
