namespace DistributedSync.Bson;

/// <summary>
/// MongoDB's order of BSON values (the one mongod uses for sorting, indexes and comparison
/// query operators, under the simple binary collation). Values of different types compare by
/// <see cref="CanonicalTypeOrder"/>; numbers of any type compare by exact value; strings and
/// symbols by their UTF-8 bytes; documents field by field. <see cref="Equals(BsonValue, BsonValue)"/>
/// is <c>Compare(x, y) == 0</c> and <see cref="GetHashCode(BsonValue)"/> agrees with it, so
/// Int32 1, Int64 1, Double 1.0 and Decimal128 1.00 are one key in a hash set built with this
/// comparer. A null reference sorts before every value.
/// </summary>
public sealed partial class BsonValueComparer : IComparer<BsonValue>, IEqualityComparer<BsonValue>
{
    private BsonValueComparer()
    {
    }

    /// <summary>The only instance (the comparer has no state).</summary>
    public static BsonValueComparer Instance { get; } = new();

    /// <summary>
    /// The rank of a type in MongoDB's cross-type order (mongod's canonical type numbers):
    /// MinKey -1 &lt; Undefined 0 &lt; Null 5 &lt; numbers 10 (Int32, Int64, Double, Decimal128)
    /// &lt; String and Symbol 15 &lt; Document 20 &lt; Array 25 &lt; Binary 30 &lt; ObjectId 35
    /// &lt; Boolean 40 &lt; DateTime 45 &lt; Timestamp 47 &lt; RegularExpression 50
    /// &lt; DbPointer 55 &lt; JavaScript 60 &lt; JavaScriptWithScope 65 &lt; MaxKey 127.
    /// Types with the same rank compare by value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a BSON type.</exception>
    public static int CanonicalTypeOrder(BsonType type) => type switch
    {
        BsonType.MinKey => -1,
        BsonType.Undefined => 0,
        BsonType.Null => 5,
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 10,
        BsonType.String or BsonType.Symbol => 15,
        BsonType.Document => 20,
        BsonType.Array => 25,
        BsonType.Binary => 30,
        BsonType.ObjectId => 35,
        BsonType.Boolean => 40,
        BsonType.DateTime => 45,
        BsonType.Timestamp => 47,
        BsonType.RegularExpression => 50,
        BsonType.DbPointer => 55,
        BsonType.JavaScript => 60,
        BsonType.JavaScriptWithScope => 65,
        BsonType.MaxKey => 127,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a BSON type."),
    };

    /// <summary>Orders two values; returns -1, 0 or 1.</summary>
    public int Compare(BsonValue? x, BsonValue? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        return CompareValues(x, y);
    }

    /// <summary>True when the values compare equal (<c>Compare(x, y) == 0</c>).</summary>
    public bool Equals(BsonValue? x, BsonValue? y) => Compare(x, y) == 0;

    /// <summary>
    /// A hash code that is the same for values that compare equal (numbers hash by exact
    /// value, strings and symbols by text, documents and arrays recursively).
    /// </summary>
    public int GetHashCode(BsonValue obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return HashValue(obj);
    }

    /// <summary>
    /// Compares strings by their UTF-8 bytes, as mongod's simple collation does. This is code
    /// point order, which differs from UTF-16 ordinal order for characters above U+FFFF
    /// (surrogate pairs) against U+E000..U+FFFF. Returns -1, 0 or 1.
    /// </summary>
    public static int CompareUtf8(string x, string y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return CodePointOrderKey(a) < CodePointOrderKey(b) ? -1 : 1;
            }
        }

        return x.Length == y.Length ? 0 : (x.Length < y.Length ? -1 : 1);
    }

    private static int CompareValues(BsonValue x, BsonValue y)
    {
        var xRank = CanonicalTypeOrder(x.Type);
        var yRank = CanonicalTypeOrder(y.Type);
        if (xRank != yRank)
        {
            return xRank < yRank ? -1 : 1;
        }

        return x switch
        {
            BsonMinKey or BsonMaxKey or BsonNull or BsonUndefined => 0,
            BsonInt32 or BsonInt64 or BsonDouble or BsonDecimal128 => CompareNumbers(x, y),
            BsonString or BsonSymbol => CompareUtf8(TextOf(x), TextOf(y)),
            BsonDocument d => CompareDocuments(d, (BsonDocument)y),
            BsonArray a => CompareArrays(a, (BsonArray)y),
            BsonBinaryData b => CompareBinary(b, (BsonBinaryData)y),
            BsonObjectId o => Sign(o.Value.CompareTo(((BsonObjectId)y).Value)),
            BsonBoolean b => Sign(b.Value.CompareTo(((BsonBoolean)y).Value)),
            BsonDateTime d => Sign(d.MillisecondsSinceEpoch.CompareTo(((BsonDateTime)y).MillisecondsSinceEpoch)),
            BsonTimestamp t => Sign(t.Value.CompareTo(((BsonTimestamp)y).Value)),
            BsonRegularExpression r => CompareRegex(r, (BsonRegularExpression)y),
            BsonDbPointer p => CompareDbPointers(p, (BsonDbPointer)y),
            BsonJavaScript j => CompareUtf8(j.Code, ((BsonJavaScript)y).Code),
            BsonJavaScriptWithScope j => CompareCodeWithScope(j, (BsonJavaScriptWithScope)y),
            _ => throw new ArgumentException($"Unknown BSON value class {x.GetType().Name}.", nameof(x)),
        };
    }

    /// <summary>
    /// Maps a UTF-16 code unit so that comparing keys gives code point order: surrogates
    /// (U+D800..U+DFFF, the halves of characters above U+FFFF) move above U+E000..U+FFFF.
    /// </summary>
    private static int CodePointOrderKey(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };

    private static string TextOf(BsonValue value) => value is BsonSymbol s ? s.Name : ((BsonString)value).Value;

    private static int Sign(int comparison) => comparison < 0 ? -1 : (comparison > 0 ? 1 : 0);
}
