using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>A BSON 64-bit binary floating point value.</summary>
public sealed class BsonDouble(double value) : BsonValue
{
    /// <summary>The value.</summary>
    public double Value { get; } = value;

    /// <inheritdoc />
    public override BsonType Type => BsonType.Double;

    /// <summary>Equal when the bit patterns denote the same double (NaN equals NaN; 0.0 equals -0.0).</summary>
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonDouble d && Value.Equals(d.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>A BSON UTF-8 string.</summary>
public sealed class BsonString : BsonValue
{
    /// <summary>The empty string.</summary>
    public static readonly BsonString Empty = new(string.Empty);

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public BsonString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override BsonType Type => BsonType.String;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonString s && string.Equals(Value, s.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}

/// <summary>A BSON 32-bit integer. Small values are cached.</summary>
public sealed class BsonInt32 : BsonValue
{
    private static readonly BsonInt32[] Cache = CreateCache();

    private BsonInt32(int value) => Value = value;

    /// <summary>The value.</summary>
    public int Value { get; }

    /// <inheritdoc />
    public override BsonType Type => BsonType.Int32;

    /// <summary>Returns a (possibly cached) instance for <paramref name="value"/>.</summary>
    public static BsonInt32 Create(int value) => value is >= -16 and < 256 ? Cache[value + 16] : new BsonInt32(value);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonInt32 i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value;

    private static BsonInt32[] CreateCache()
    {
        var cache = new BsonInt32[256 + 16];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = new BsonInt32(i - 16);
        }

        return cache;
    }
}

/// <summary>A BSON 64-bit integer.</summary>
public sealed class BsonInt64(long value) : BsonValue
{
    /// <summary>The value.</summary>
    public long Value { get; } = value;

    /// <inheritdoc />
    public override BsonType Type => BsonType.Int64;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonInt64 l && l.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>A BSON boolean.</summary>
public sealed class BsonBoolean : BsonValue
{
    /// <summary>true.</summary>
    public static readonly BsonBoolean True = new(true);

    /// <summary>false.</summary>
    public static readonly BsonBoolean False = new(false);

    private BsonBoolean(bool value) => Value = value;

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override BsonType Type => BsonType.Boolean;

    /// <summary>Returns the shared instance for <paramref name="value"/>.</summary>
    public static BsonBoolean Create(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonBoolean b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 0;
}

/// <summary>A BSON UTC datetime: signed milliseconds since the Unix epoch (any Int64 is valid).</summary>
public sealed class BsonDateTime : BsonValue
{
    /// <summary>Wraps milliseconds since the Unix epoch.</summary>
    public BsonDateTime(long millisecondsSinceEpoch) => MillisecondsSinceEpoch = millisecondsSinceEpoch;

    /// <summary>Wraps a DateTime, converted to UTC and truncated to milliseconds.</summary>
    public BsonDateTime(DateTime value)
        : this(new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime()).ToUnixTimeMilliseconds())
    {
    }

    /// <summary>Milliseconds since 1970-01-01T00:00:00Z.</summary>
    public long MillisecondsSinceEpoch { get; }

    /// <inheritdoc />
    public override BsonType Type => BsonType.DateTime;

    /// <summary>True when the value fits in <see cref="DateTimeOffset"/> (years 1 to 9999).</summary>
    public bool IsRepresentable => MillisecondsSinceEpoch is >= -62135596800000L and <= 253402300799999L;

    /// <summary>The value as a UTC <see cref="DateTimeOffset"/>; throws when out of range.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(MillisecondsSinceEpoch);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonDateTime d && d.MillisecondsSinceEpoch == MillisecondsSinceEpoch;

    /// <inheritdoc />
    public override int GetHashCode() => MillisecondsSinceEpoch.GetHashCode();
}

/// <summary>A BSON timestamp: an unsigned 32-bit seconds value and a 32-bit increment.</summary>
public sealed class BsonTimestamp(uint seconds, uint increment) : BsonValue
{
    /// <summary>Seconds since the Unix epoch (high 32 bits on the wire).</summary>
    public uint Seconds { get; } = seconds;

    /// <summary>Ordinal within the second (low 32 bits on the wire).</summary>
    public uint Increment { get; } = increment;

    /// <summary>The 64-bit wire value: seconds in the high half, increment in the low half.</summary>
    public ulong Value => ((ulong)Seconds << 32) | Increment;

    /// <inheritdoc />
    public override BsonType Type => BsonType.Timestamp;

    /// <summary>Builds a timestamp from its 64-bit wire value.</summary>
    public static BsonTimestamp FromValue(ulong value) => new((uint)(value >> 32), (uint)value);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonTimestamp t && t.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>A BSON ObjectId.</summary>
public sealed class BsonObjectId(ObjectId value) : BsonValue
{
    /// <summary>The value.</summary>
    public ObjectId Value { get; } = value;

    /// <inheritdoc />
    public override BsonType Type => BsonType.ObjectId;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonObjectId o && o.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>A BSON Decimal128.</summary>
public sealed class BsonDecimal128(Decimal128 value) : BsonValue
{
    /// <summary>The value.</summary>
    public Decimal128 Value { get; } = value;

    /// <inheritdoc />
    public override BsonType Type => BsonType.Decimal128;

    /// <summary>Equal when the 128-bit encodings are identical (1.0 and 1.00 differ).</summary>
    public override bool Equals([NotNullWhen(true)] BsonValue? other) => other is BsonDecimal128 d && d.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}
