namespace DistributedSync.Bson;

/// <summary>Constants and the decoding of the BID fields (sign, exponent, coefficient).</summary>
public readonly partial struct Decimal128
{
    /// <summary>The largest exponent (of the last coefficient digit) a finite value can have.</summary>
    internal const int MaxExponent = 6111;

    /// <summary>The smallest exponent (of the last coefficient digit) a finite value can have.</summary>
    internal const int MinExponent = -6176;

    /// <summary>The number of decimal digits of precision.</summary>
    internal const int MaxDigits = 34;

    private const int ExponentBias = 6176;
    private const ulong SignBit = 0x8000_0000_0000_0000UL;
    private const ulong LargeFormMask = 0x6000_0000_0000_0000UL;
    private const ulong CoefficientHighMask = 0x0001_FFFF_FFFF_FFFFUL;

    /// <summary>Powers of ten 10^0 .. 10^38, every one that fits in <see cref="UInt128"/>.</summary>
    private static readonly UInt128[] PowersOfTen = CreatePowersOfTen();

    /// <summary>The largest canonical coefficient, 10^34 - 1.</summary>
    private static readonly UInt128 MaxCoefficient = PowersOfTen[MaxDigits] - 1;

    /// <summary>0 (coefficient 0, exponent 0).</summary>
    public static Decimal128 Zero { get; } = FromParts(false, 0, 0);

    /// <summary>1 (coefficient 1, exponent 0).</summary>
    public static Decimal128 One { get; } = FromParts(false, 1, 0);

    /// <summary>-1 (coefficient 1, exponent 0, negative).</summary>
    public static Decimal128 MinusOne { get; } = FromParts(true, 1, 0);

    /// <summary>The canonical quiet NaN (positive, no payload).</summary>
    public static Decimal128 NaN { get; } = new(0x7C00_0000_0000_0000UL, 0);

    /// <summary>Positive infinity.</summary>
    public static Decimal128 PositiveInfinity { get; } = new(0x7800_0000_0000_0000UL, 0);

    /// <summary>Negative infinity.</summary>
    public static Decimal128 NegativeInfinity { get; } = new(0xF800_0000_0000_0000UL, 0);

    /// <summary>The largest finite value, 9.999999999999999999999999999999999E+6144.</summary>
    public static Decimal128 MaxValue { get; } = FromParts(false, MaxCoefficient, MaxExponent);

    /// <summary>The smallest (most negative) finite value, -9.999999999999999999999999999999999E+6144.</summary>
    public static Decimal128 MinValue { get; } = FromParts(true, MaxCoefficient, MaxExponent);

    /// <summary>
    /// True for +0 or -0 with any exponent, including the non-canonical encodings that
    /// IEEE 754-2008 says must be read as zero (a coefficient above 10^34 - 1).
    /// </summary>
    public bool IsZero => !IsNaN && !IsInfinity && Coefficient == 0;

    /// <summary>True for values that are neither NaN nor infinite.</summary>
    public bool IsFinite => (High & 0x7800_0000_0000_0000UL) != 0x7800_0000_0000_0000UL;

    /// <summary>True for a signalling NaN.</summary>
    public bool IsSignalingNaN => (High & 0x7E00_0000_0000_0000UL) == 0x7E00_0000_0000_0000UL;

    /// <summary>
    /// The coefficient of a finite value: 0 to 10^34 - 1. Non-canonical encodings (a coefficient
    /// that does not fit in 34 digits, or the large-coefficient form) read as 0. Meaningless for
    /// NaN and infinities.
    /// </summary>
    internal UInt128 Coefficient
    {
        get
        {
            if ((High & LargeFormMask) == LargeFormMask)
            {
                // The "11" combination form implies a coefficient of at least 2^113 > 10^34 - 1.
                return UInt128.Zero;
            }

            var coefficient = new UInt128(High & CoefficientHighMask, Low);
            return coefficient > MaxCoefficient ? UInt128.Zero : coefficient;
        }
    }

    /// <summary>The unbiased exponent of a finite value (of its last coefficient digit).</summary>
    internal int Exponent
        => (High & LargeFormMask) == LargeFormMask
            ? (int)((High >> 47) & 0x3FFF) - ExponentBias
            : (int)((High >> 49) & 0x3FFF) - ExponentBias;

    /// <summary>
    /// Encodes a finite value. <paramref name="coefficient"/> must be at most 10^34 - 1 and
    /// <paramref name="exponent"/> within [<see cref="MinExponent"/>, <see cref="MaxExponent"/>].
    /// </summary>
    internal static Decimal128 FromParts(bool negative, UInt128 coefficient, int exponent)
    {
        if (coefficient > MaxCoefficient)
        {
            throw new ArgumentOutOfRangeException(nameof(coefficient), "A Decimal128 coefficient has at most 34 digits.");
        }

        if (exponent is < MinExponent or > MaxExponent)
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), $"A Decimal128 exponent lies in [{MinExponent}, {MaxExponent}].");
        }

        var high = (negative ? SignBit : 0UL)
            | ((ulong)(exponent + ExponentBias) << 49)
            | (ulong)(coefficient >> 64);
        return new Decimal128(high, (ulong)coefficient);
    }

    /// <summary>10^<paramref name="power"/> for 0 &lt;= power &lt;= 38.</summary>
    internal static UInt128 PowerOfTen(int power) => PowersOfTen[power];

    /// <summary>The number of decimal digits of <paramref name="value"/> (1 for 0).</summary>
    internal static int DigitCount(UInt128 value)
    {
        var digits = 1;
        while (digits < PowersOfTen.Length && value >= PowersOfTen[digits])
        {
            digits++;
        }

        return digits;
    }

    private static UInt128[] CreatePowersOfTen()
    {
        var powers = new UInt128[39];
        powers[0] = UInt128.One;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
