namespace DistributedSync.Bson;

/// <summary>
/// Hash codes consistent with the order: values that compare equal hash equal. Numbers hash
/// by a canonical form of their exact value: an integer within the Int64 range hashes as that
/// long, any other value that is exactly a double hashes as the double, and the remaining
/// decimals hash by their coefficient and exponent with trailing zeros removed.
/// </summary>
public sealed partial class BsonValueComparer
{
    private const int NaNHash = 0x7FF8_0001;

    private static int HashValue(BsonValue value)
    {
        var rank = CanonicalTypeOrder(value.Type);
        var hash = value switch
        {
            BsonInt32 i => HashInt64(i.Value),
            BsonInt64 l => HashInt64(l.Value),
            BsonDouble d => HashDouble(d.Value),
            BsonDecimal128 m => HashDecimal(m.Value),
            BsonString s => StringComparer.Ordinal.GetHashCode(s.Value),
            BsonSymbol s => StringComparer.Ordinal.GetHashCode(s.Name),
            BsonDocument d => HashDocument(d),
            BsonArray a => HashArray(a),
            BsonJavaScriptWithScope j => HashCode.Combine(StringComparer.Ordinal.GetHashCode(j.Code), HashDocument(j.Scope)),

            // The remaining types compare equal exactly when they are structurally equal.
            _ => value.GetHashCode(),
        };
        return HashCode.Combine(rank, hash);
    }

    private static int HashDocument(BsonDocument document)
    {
        var hash = new HashCode();
        foreach (var element in document)
        {
            hash.Add(StringComparer.Ordinal.GetHashCode(element.Name));
            hash.Add(HashValue(element.Value));
        }

        return hash.ToHashCode();
    }

    private static int HashArray(BsonArray array)
    {
        var hash = new HashCode();
        foreach (var item in array)
        {
            hash.Add(HashValue(item));
        }

        return hash.ToHashCode();
    }

    private static int HashInt64(long value) => value.GetHashCode();

    private static int HashDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return NaNHash;
        }

        // Integral values in the long range (including -0.0) hash as the long they equal.
        if (value >= -TwoToThe63 && value < TwoToThe63 && Math.Floor(value) == value)
        {
            return HashInt64((long)value);
        }

        return value.GetHashCode();
    }

    private static int HashDecimal(Decimal128 value)
    {
        if (value.IsNaN)
        {
            return NaNHash;
        }

        if (value.IsInfinity)
        {
            return HashDouble(value.IsNegative ? double.NegativeInfinity : double.PositiveInfinity);
        }

        var coefficient = value.Coefficient;
        if (coefficient == 0)
        {
            return HashInt64(0);
        }

        // Canonical form of the cohort: no trailing zeros.
        var exponent = value.Exponent;
        while (coefficient % 10 == 0)
        {
            coefficient /= 10;
            exponent++;
        }

        if (exponent is >= 0 and <= 18 && TryToInt64(value.IsNegative, coefficient, exponent, out var whole))
        {
            return HashInt64(whole);
        }

        var nearest = value.ToDouble();
        if (!double.IsInfinity(nearest) && CompareDecimalToDouble(value, nearest) == 0)
        {
            return HashDouble(nearest);
        }

        return HashCode.Combine(value.IsNegative, coefficient, exponent);
    }

    /// <summary>± coefficient × 10^exponent as a long, when it fits.</summary>
    private static bool TryToInt64(bool negative, UInt128 coefficient, int exponent, out long value)
    {
        value = 0;
        var limit = negative ? (UInt128)1 << 63 : (UInt128)long.MaxValue;
        var scale = Decimal128.PowerOfTen(exponent);
        if (coefficient > limit / scale)
        {
            return false;
        }

        var magnitude = coefficient * scale;
        if (magnitude > limit)
        {
            return false;
        }

        value = negative ? (long)(0UL - (ulong)magnitude) : (long)(ulong)magnitude;
        return true;
    }
}
