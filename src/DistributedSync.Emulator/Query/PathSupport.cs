using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query;

/// <summary>Small helpers shared by the filter, update, projection and sort code.</summary>
internal static class PathSupport
{
    /// <summary>Splits a dotted path into its components (empty components are kept).</summary>
    public static string[] Split(string dotted) => dotted.Split('.');

    /// <summary>True when <paramref name="part"/> is all ASCII digits (and not empty).</summary>
    public static bool IsAllDigits(string part)
    {
        if (part.Length == 0)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses an all-digit path component as an array index. Values too large for an Int32 give
    /// <see cref="int.MaxValue"/> (they can never address an existing element).
    /// </summary>
    public static bool TryParseIndex(string part, out int index)
    {
        index = -1;
        if (!IsAllDigits(part))
        {
            return false;
        }

        long value = 0;
        foreach (var c in part)
        {
            value = (value * 10) + (c - '0');
            if (value > int.MaxValue)
            {
                index = int.MaxValue;
                return true;
            }
        }

        index = (int)value;
        return true;
    }

    /// <summary>
    /// True when <paramref name="part"/> addresses element <paramref name="index"/> exactly the
    /// way mongod's matcher does: the component must be the canonical decimal spelling.
    /// </summary>
    public static bool IsOffsetMatch(string part, int index)
        => IsAllDigits(part) && TryParseIndex(part, out var i) && i == index && (part.Length == 1 || part[0] != '0');

    /// <summary>
    /// mongod's order for field names in an update: two all-digit names compare numerically,
    /// anything else compares by ordinal string order.
    /// </summary>
    public static int CompareFieldNames(string x, string y)
    {
        if (IsAllDigits(x) && IsAllDigits(y))
        {
            var xs = x.TrimStart('0');
            var ys = y.TrimStart('0');
            if (xs.Length != ys.Length)
            {
                return xs.Length.CompareTo(ys.Length);
            }

            var c = string.CompareOrdinal(xs, ys);
            return c != 0 ? c : string.CompareOrdinal(x, y);
        }

        return string.CompareOrdinal(x, y);
    }

    /// <summary>Deep copy of containers (documents and arrays); other values are immutable.</summary>
    public static BsonValue Clone(BsonValue value) => value switch
    {
        BsonDocument d => d.DeepClone(),
        BsonArray a => a.DeepClone(),
        _ => value,
    };

    /// <summary>The value at a dotted path walking documents only (no array traversal), or null.</summary>
    public static BsonValue? GetDocumentPath(BsonDocument doc, string[] parts)
    {
        BsonValue current = doc;
        foreach (var part in parts)
        {
            if (current is not BsonDocument d || !d.TryGetValue(part, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }
}
