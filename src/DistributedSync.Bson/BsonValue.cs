using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>
/// An immutable BSON value, except for <see cref="BsonDocument"/> and <see cref="BsonArray"/>
/// which are mutable containers. Equality is structural and type-exact: Int32 1 is not equal to
/// Int64 1 (use <see cref="BsonValueComparer"/> for MongoDB's cross-type ordering).
/// </summary>
public abstract class BsonValue : IEquatable<BsonValue>
{
    private protected BsonValue()
    {
    }

    /// <summary>The BSON element type of this value.</summary>
    public abstract BsonType Type { get; }

    /// <summary>True for Int32, Int64, Double and Decimal128.</summary>
    public bool IsNumeric => Type is BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128;

    /// <summary>True for BSON null.</summary>
    public bool IsNull => Type == BsonType.Null;

    /// <summary>The value as a document; throws <see cref="InvalidCastException"/> otherwise.</summary>
    public BsonDocument AsDocument => As<BsonDocument>();

    /// <summary>The value as an array; throws <see cref="InvalidCastException"/> otherwise.</summary>
    public BsonArray AsArray => As<BsonArray>();

    /// <summary>The string value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public string AsString => As<BsonString>().Value;

    /// <summary>The Int32 value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public int AsInt32 => As<BsonInt32>().Value;

    /// <summary>The Int64 value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public long AsInt64 => As<BsonInt64>().Value;

    /// <summary>The double value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public double AsDouble => As<BsonDouble>().Value;

    /// <summary>The boolean value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public bool AsBoolean => As<BsonBoolean>().Value;

    /// <summary>The ObjectId value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public ObjectId AsObjectId => As<BsonObjectId>().Value;

    /// <summary>The Decimal128 value; throws <see cref="InvalidCastException"/> for other types.</summary>
    public Decimal128 AsDecimal128 => As<BsonDecimal128>().Value;

    /// <summary>The UTC datetime as milliseconds since the Unix epoch.</summary>
    public long AsDateTimeMilliseconds => As<BsonDateTime>().MillisecondsSinceEpoch;

    /// <summary>Numeric value widened to Int64 (doubles and decimals truncated toward zero).</summary>
    public long ToInt64() => this switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d => double.IsNaN(d.Value) ? 0 : (long)Math.Clamp(d.Value, long.MinValue, long.MaxValue),
        BsonDecimal128 m => (long)Math.Clamp(m.Value.ToDouble(), long.MinValue, long.MaxValue),
        BsonBoolean b => b.Value ? 1 : 0,
        _ => throw new InvalidCastException($"A BSON {Type} is not numeric."),
    };

    /// <summary>Numeric value as a double (Int64 and Decimal128 may round).</summary>
    public double ToDouble() => this switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d => d.Value,
        BsonDecimal128 m => m.Value.ToDouble(),
        _ => throw new InvalidCastException($"A BSON {Type} is not numeric."),
    };

    /// <summary>MongoDB truthiness: false, null, undefined and numeric zero are false.</summary>
    public bool ToBoolean() => this switch
    {
        BsonBoolean b => b.Value,
        BsonNull or BsonUndefined => false,
        BsonInt32 i => i.Value != 0,
        BsonInt64 l => l.Value != 0,
        BsonDouble d => d.Value != 0 && !double.IsNaN(d.Value),
        BsonDecimal128 m => !m.Value.IsZero && !m.Value.IsNaN,
        _ => true,
    };

    /// <summary>Casts to a concrete BSON class with a message naming both types.</summary>
    public T As<T>()
        where T : BsonValue
        => this as T ?? throw new InvalidCastException($"Expected a BSON {typeof(T).Name[4..]} but found a BSON {Type}.");

    /// <inheritdoc />
    public abstract bool Equals([NotNullWhen(true)] BsonValue? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is BsonValue v && Equals(v);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Relaxed Extended JSON, for diagnostics.</summary>
    public override string ToString() => Json.ExtendedJson.Write(this, Json.ExtendedJsonMode.Relaxed);

    /// <summary>Structural equality.</summary>
    public static bool operator ==(BsonValue? left, BsonValue? right)
        => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(BsonValue? left, BsonValue? right) => !(left == right);

#pragma warning disable CA2225 // Friendly alternates are the Bson* constructors.
    /// <summary>Wraps an Int32.</summary>
    public static implicit operator BsonValue(int value) => BsonInt32.Create(value);

    /// <summary>Wraps an Int64.</summary>
    public static implicit operator BsonValue(long value) => new BsonInt64(value);

    /// <summary>Wraps a double.</summary>
    public static implicit operator BsonValue(double value) => new BsonDouble(value);

    /// <summary>Wraps a boolean.</summary>
    public static implicit operator BsonValue(bool value) => BsonBoolean.Create(value);

    /// <summary>Wraps a string; null becomes BSON null.</summary>
    public static implicit operator BsonValue(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    /// <summary>Wraps an ObjectId.</summary>
    public static implicit operator BsonValue(ObjectId value) => new BsonObjectId(value);

    /// <summary>Wraps a Decimal128.</summary>
    public static implicit operator BsonValue(Decimal128 value) => new BsonDecimal128(value);

    /// <summary>Wraps a UTC DateTime (millisecond precision).</summary>
    public static implicit operator BsonValue(DateTime value) => new BsonDateTime(value);
#pragma warning restore CA2225
}
