using System.Globalization;

namespace DistributedSync.Bson;

/// <summary>Conversions between Decimal128 and the .NET numeric types.</summary>
public readonly partial struct Decimal128
{
    // 2^53: every integer up to it is an exact double.
    private const ulong ExactDoubleIntegerLimit = 1UL << 53;

    // 10^0 .. 10^22 are exactly representable as doubles.
    private static ReadOnlySpan<double> ExactDoublePowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// The double nearest to this value (round half to even, the IEEE 754 default): correctly
    /// rounded, never double-rounded. Values beyond the double range become infinities, tiny
    /// values become (signed) zero, every NaN becomes <see cref="double.NaN"/>.
    /// </summary>
    public double ToDouble()
    {
        if (IsNaN)
        {
            return double.NaN;
        }

        if (IsInfinity)
        {
            return IsNegative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        var coefficient = Coefficient;
        var exponent = Exponent;
        double magnitude;
        if (coefficient <= ExactDoubleIntegerLimit && exponent is >= -22 and <= 22)
        {
            // Both operands are exact doubles, so the one IEEE operation rounds correctly.
            var c = (double)(ulong)coefficient;
            magnitude = exponent >= 0 ? c * ExactDoublePowersOfTen[exponent] : c / ExactDoublePowersOfTen[-exponent];
        }
        else
        {
            // .NET's parser is correctly rounded for any number of digits and any exponent.
            var text = string.Create(CultureInfo.InvariantCulture, $"{coefficient}E{exponent}");
            magnitude = double.Parse(text, NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        }

        return IsNegative ? -magnitude : magnitude;
    }

    /// <summary>
    /// The decimal with the shortest digit string that converts back to exactly
    /// <paramref name="value"/> (the digits of <c>value.ToString("R")</c>), so
    /// <c>FromDouble(x).ToDouble() == x</c> for every double. This is not the exact binary value
    /// (0.1 becomes 1E-1, not 0.1000000000000000055511151231257827...). NaN becomes
    /// <see cref="NaN"/>, infinities become infinities, -0.0 becomes -0.
    /// </summary>
    public static Decimal128 FromDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return NaN;
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? PositiveInfinity : NegativeInfinity;
        }

        return Parse(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>The exact value of <paramref name="value"/> with exponent 0.</summary>
    public static Decimal128 FromInt64(long value)
    {
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        return FromParts(value < 0, magnitude, 0);
    }

    /// <summary>
    /// The exact value of <paramref name="value"/>, keeping its scale: 1.50m becomes 150E-2
    /// ("1.50"). Always exact, since a <see cref="decimal"/> has at most 29 digits.
    /// </summary>
    public static Decimal128 FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var coefficient = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return FromParts(bits[3] < 0, coefficient, -scale);
    }

    /// <summary>
    /// The exact value as a <see cref="decimal"/>, keeping the scale where the decimal type
    /// allows (at most 28 fraction digits, a 96-bit coefficient; trailing zeros are dropped as
    /// needed).
    /// </summary>
    /// <exception cref="OverflowException">NaN, an infinity, or a value that needs rounding or is out of the decimal range.</exception>
    public decimal ToDecimal()
        => TryToDecimal(out var value)
            ? value
            : throw new OverflowException($"The Decimal128 {this} cannot be represented exactly as a System.Decimal.");

    /// <summary>Like <see cref="ToDecimal"/>, returning false instead of throwing.</summary>
    public bool TryToDecimal(out decimal value)
    {
        value = default;
        if (!IsFinite)
        {
            return false;
        }

        var coefficient = Coefficient;
        var exponent = Exponent;
        var negative = IsNegative;
        UInt128 max96 = (UInt128.One << 96) - 1;
        if (coefficient == 0)
        {
            value = new decimal(0, 0, 0, negative, (byte)Math.Clamp(-exponent, 0, 28));
            return true;
        }

        int scale;
        if (exponent > 0)
        {
            if (exponent > 28 || coefficient > max96 / PowersOfTen[exponent])
            {
                return false;
            }

            coefficient *= PowersOfTen[exponent];
            scale = 0;
        }
        else
        {
            scale = -exponent;
            while ((scale > 28 || coefficient > max96) && scale > 0 && coefficient % 10 == 0)
            {
                coefficient /= 10;
                scale--;
            }

            if (scale > 28 || coefficient > max96)
            {
                return false;
            }
        }

        var lo = (ulong)coefficient;
        value = new decimal((int)(uint)lo, (int)(uint)(lo >> 32), (int)(uint)(coefficient >> 64), negative, (byte)scale);
        return true;
    }
}
