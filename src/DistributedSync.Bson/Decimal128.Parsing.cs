using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>Exact conversion from the numeric-string syntax of the BSON Decimal128 specification.</summary>
public readonly partial struct Decimal128
{
    // Exponents of the input beyond this magnitude are saturated while reading: no finite
    // non-zero value can survive them, and zeros clamp to the exponent range anyway.
    private const long ExponentSaturation = 1_000_000_000_000L;

    private enum ParseStatus
    {
        Ok,
        Syntax,
        Inexact,
        Overflow,
        Underflow,
    }

    /// <summary>
    /// Parses a numeric string: <c>[sign] digits [. [digits]] [e [sign] digits]</c> (or with the
    /// point first), or <c>[sign] Inf</c>, <c>[sign] Infinity</c>, <c>[sign] NaN</c> in any case.
    /// No whitespace is allowed. The value is stored exactly with the given exponent where
    /// possible; otherwise trailing zeros are dropped or added (clamping) when that keeps the
    /// value exact. A value that would need rounding, or whose magnitude is out of range, is
    /// rejected.
    /// </summary>
    /// <exception cref="FormatException">The text is not a numeric string or cannot be stored exactly.</exception>
    public static Decimal128 Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return ParseCore(s, out var result) switch
        {
            ParseStatus.Ok => result,
            ParseStatus.Syntax => throw new FormatException($"'{Shorten(s)}' is not a Decimal128 numeric string."),
            ParseStatus.Inexact => throw new FormatException($"'{Shorten(s)}' has more than 34 significant digits and cannot be stored in a Decimal128 without rounding."),
            ParseStatus.Overflow => throw new FormatException($"'{Shorten(s)}' is too large in magnitude for a Decimal128."),
            _ => throw new FormatException($"'{Shorten(s)}' is too small in magnitude to be stored in a Decimal128 without rounding."),
        };
    }

    /// <summary>Like <see cref="Parse(string)"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out Decimal128 result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <summary>Like <see cref="Parse(string)"/>, returning false instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out Decimal128 result) => ParseCore(s, out result) == ParseStatus.Ok;

    private static ParseStatus ParseCore(ReadOnlySpan<char> s, out Decimal128 result)
    {
        result = default;
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            result = negative ? NegativeInfinity : PositiveInfinity;
            return ParseStatus.Ok;
        }

        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            result = negative ? new Decimal128(NaN.High | SignBit, 0) : NaN;
            return ParseStatus.Ok;
        }

        // Mantissa: remember where the significant digits (from the first non-zero one) start,
        // how many there are, and where the last non-zero one is.
        var sawDigit = false;
        var sawPoint = false;
        long fractionDigits = 0;
        var firstSignificant = -1;
        var significantCount = 0;
        var lastNonZero = 0;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                sawDigit = true;
                if (sawPoint)
                {
                    fractionDigits++;
                }

                if (significantCount > 0 || c != '0')
                {
                    if (significantCount == 0)
                    {
                        firstSignificant = i;
                    }

                    significantCount++;
                    if (c != '0')
                    {
                        lastNonZero = significantCount;
                    }
                }
            }
            else if (c == '.' && !sawPoint)
            {
                sawPoint = true;
            }
            else
            {
                break;
            }
        }

        if (!sawDigit || !TryParseExponentPart(s[i..], out var writtenExponent))
        {
            return ParseStatus.Syntax;
        }

        var exponent = writtenExponent - fractionDigits;
        if (significantCount == 0)
        {
            result = FromParts(negative, UInt128.Zero, (int)Math.Clamp(exponent, MinExponent, MaxExponent));
            return ParseStatus.Ok;
        }

        return Encode(negative, s, firstSignificant, significantCount, significantCount - lastNonZero, exponent, out result);
    }

    /// <summary>Reads <c>[e [sign] digits]</c> to the end of the input (empty means exponent 0).</summary>
    private static bool TryParseExponentPart(ReadOnlySpan<char> s, out long exponent)
    {
        exponent = 0;
        if (s.IsEmpty)
        {
            return true;
        }

        if (s[0] is not ('e' or 'E'))
        {
            return false;
        }

        s = s[1..];
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            exponent = Math.Min(ExponentSaturation, (exponent * 10) + (c - '0'));
        }

        if (negative)
        {
            exponent = -exponent;
        }

        return true;
    }

    /// <summary>
    /// Fits <paramref name="count"/> significant digits (with <paramref name="trailingZeros"/>
    /// zeros at the end) and the exponent of the last one into the format, dropping or adding
    /// zeros only: the value never changes.
    /// </summary>
    private static ParseStatus Encode(bool negative, ReadOnlySpan<char> s, int first, int count, int trailingZeros, long exponent, out Decimal128 result)
    {
        result = default;
        if (count > MaxDigits)
        {
            var drop = count - MaxDigits;
            if (drop > trailingZeros)
            {
                return ParseStatus.Inexact;
            }

            count = MaxDigits;
            trailingZeros -= drop;
            exponent += drop;
        }

        var padding = 0;
        if (exponent > MaxExponent)
        {
            // Clamping: append zeros to the coefficient while there is room.
            var need = exponent - MaxExponent;
            if (need > MaxDigits - count)
            {
                return ParseStatus.Overflow;
            }

            padding = (int)need;
            exponent = MaxExponent;
        }
        else if (exponent < MinExponent)
        {
            // Exact rounding: drop trailing zeros while the exponent is too small.
            var need = MinExponent - exponent;
            if (need > trailingZeros)
            {
                return ParseStatus.Underflow;
            }

            count -= (int)need;
            exponent = MinExponent;
        }

        var coefficient = UInt128.Zero;
        var taken = 0;
        for (var i = first; taken < count; i++)
        {
            var c = s[i];
            if (c != '.')
            {
                coefficient = (coefficient * 10) + (uint)(c - '0');
                taken++;
            }
        }

        result = FromParts(negative, coefficient * PowersOfTen[padding], (int)exponent);
        return ParseStatus.Ok;
    }

    private static string Shorten(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 61), "...");
}
