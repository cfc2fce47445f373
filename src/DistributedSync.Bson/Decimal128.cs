using System.Buffers.Binary;

namespace DistributedSync.Bson;

/// <summary>
/// An IEEE 754-2008 128-bit decimal floating point number in the binary integer decimal (BID)
/// encoding BSON uses. Equality is of the encoding (1.0 and 1.00 are different encodings);
/// numeric order is <see cref="Compare(Decimal128, Decimal128)"/>, and cross-type order lives in
/// <see cref="BsonValueComparer"/>. Strings convert exactly in both directions (see
/// <see cref="Parse(string)"/> and <see cref="ToString"/>).
/// </summary>
public readonly partial struct Decimal128 : IEquatable<Decimal128>
{
    /// <summary>Builds a value from the high and low 64 bits of its encoding.</summary>
    public Decimal128(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The high 64 bits (sign, combination field, exponent, top of the coefficient).</summary>
    public ulong High { get; }

    /// <summary>The low 64 bits of the coefficient.</summary>
    public ulong Low { get; }

    /// <summary>True for any NaN (quiet or signalling).</summary>
    public bool IsNaN => (High & 0x7C00000000000000UL) == 0x7C00000000000000UL;

    /// <summary>True for positive or negative infinity.</summary>
    public bool IsInfinity => (High & 0x7C00000000000000UL) == 0x7800000000000000UL;

    /// <summary>True when the sign bit is set (including -0 and -NaN).</summary>
    public bool IsNegative => (High & 0x8000000000000000UL) != 0;

    /// <summary>Reads the 16 little-endian bytes of the BSON encoding.</summary>
    public static Decimal128 FromBytes(ReadOnlySpan<byte> bytes)
        => new(BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]), BinaryPrimitives.ReadUInt64LittleEndian(bytes));

    /// <summary>Writes the 16 little-endian bytes of the BSON encoding.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Low);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], High);
    }

    /// <inheritdoc />
    public bool Equals(Decimal128 other) => High == other.High && Low == other.Low;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Decimal128 d && Equals(d);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(High, Low);

    /// <summary>Encoding equality.</summary>
    public static bool operator ==(Decimal128 left, Decimal128 right) => left.Equals(right);

    /// <summary>Encoding inequality.</summary>
    public static bool operator !=(Decimal128 left, Decimal128 right) => !left.Equals(right);
}
