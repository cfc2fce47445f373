namespace DistributedSync.Bson;

/// <summary>
/// Numeric order. Unlike <see cref="Equals(Decimal128)"/> (encoding equality), it ignores the
/// representation: 1.0 and 1.00 compare equal, -0 equals 0.
/// </summary>
public readonly partial struct Decimal128 : IComparable<Decimal128>
{
    /// <summary>
    /// A total order on numeric value, MongoDB's: every NaN (any sign or payload) equals every
    /// other NaN and is below every other value; then -Infinity, the finite values by exact
    /// value (members of a cohort such as 1.0 and 1.00, and -0 and +0, are equal), +Infinity.
    /// Returns -1, 0 or 1.
    /// </summary>
    public static int Compare(Decimal128 left, Decimal128 right)
    {
        if (left.IsNaN)
        {
            return right.IsNaN ? 0 : -1;
        }

        if (right.IsNaN)
        {
            return 1;
        }

        var leftSign = left.NumericSign;
        var rightSign = right.NumericSign;
        if (leftSign != rightSign)
        {
            return leftSign < rightSign ? -1 : 1;
        }

        if (leftSign == 0)
        {
            return 0;
        }

        var magnitude = CompareMagnitudes(left, right);
        return leftSign > 0 ? magnitude : -magnitude;
    }

    /// <summary>Numeric comparison; see <see cref="Compare(Decimal128, Decimal128)"/>.</summary>
    public int CompareTo(Decimal128 other) => Compare(this, other);

    /// <summary>Numeric less-than (NaN is below everything, as in <see cref="Compare(Decimal128, Decimal128)"/>).</summary>
    public static bool operator <(Decimal128 left, Decimal128 right) => Compare(left, right) < 0;

    /// <summary>Numeric greater-than.</summary>
    public static bool operator >(Decimal128 left, Decimal128 right) => Compare(left, right) > 0;

    /// <summary>Numeric less-or-equal.</summary>
    public static bool operator <=(Decimal128 left, Decimal128 right) => Compare(left, right) <= 0;

    /// <summary>Numeric greater-or-equal.</summary>
    public static bool operator >=(Decimal128 left, Decimal128 right) => Compare(left, right) >= 0;

    /// <summary>-1, 0 or 1 for a non-NaN value (0 for every zero).</summary>
    internal int NumericSign => IsInfinity || Coefficient != 0 ? (IsNegative ? -1 : 1) : 0;

    /// <summary>
    /// Compares |c1 × 10^e1| with |c2 × 10^e2| for non-zero coefficients of up to 38 digits
    /// whose aligned forms fit in <see cref="UInt128"/> (true for Decimal128 and Int64 values).
    /// </summary>
    internal static int CompareFiniteMagnitudes(UInt128 c1, int e1, UInt128 c2, int e2)
    {
        var d1 = DigitCount(c1);
        var d2 = DigitCount(c2);
        var adjusted1 = e1 + d1;
        var adjusted2 = e2 + d2;
        if (adjusted1 != adjusted2)
        {
            return adjusted1 < adjusted2 ? -1 : 1;
        }

        // Same position of the leading digit: compare the digit strings left-aligned.
        if (d1 < d2)
        {
            c1 *= PowersOfTen[d2 - d1];
        }
        else if (d2 < d1)
        {
            c2 *= PowersOfTen[d1 - d2];
        }

        return c1.CompareTo(c2) switch
        {
            < 0 => -1,
            > 0 => 1,
            _ => 0,
        };
    }

    /// <summary>Compares the magnitudes of two non-zero, non-NaN values.</summary>
    private static int CompareMagnitudes(Decimal128 left, Decimal128 right)
    {
        if (left.IsInfinity)
        {
            return right.IsInfinity ? 0 : 1;
        }

        if (right.IsInfinity)
        {
            return -1;
        }

        return CompareFiniteMagnitudes(left.Coefficient, left.Exponent, right.Coefficient, right.Exponent);
    }
}
