using System.Diagnostics.CodeAnalysis;

namespace DistributedSync.Bson;

/// <summary>Well-known BSON binary subtypes (any byte is allowed; 0x80-0xFF are user defined).</summary>
public enum BsonBinarySubtype : byte
{
    /// <summary>Generic binary data.</summary>
    Generic = 0x00,
    /// <summary>Function.</summary>
    Function = 0x01,
    /// <summary>Deprecated binary with an inner int32 length prefix.</summary>
    BinaryOld = 0x02,
    /// <summary>Deprecated UUID byte order.</summary>
    UuidLegacy = 0x03,
    /// <summary>RFC 4122 UUID (16 bytes).</summary>
    Uuid = 0x04,
    /// <summary>MD5 digest.</summary>
    Md5 = 0x05,
    /// <summary>Encrypted value.</summary>
    Encrypted = 0x06,
    /// <summary>Compressed time-series column.</summary>
    Column = 0x07,
    /// <summary>Sensitive data.</summary>
    Sensitive = 0x08,
    /// <summary>Packed vector.</summary>
    Vector = 0x09,
    /// <summary>First user-defined subtype.</summary>
    UserDefined = 0x80,
}

/// <summary>BSON binary data. The bytes are copied on construction and never change.</summary>
public sealed class BsonBinaryData : BsonValue
{
    private readonly byte[] _bytes;

    /// <summary>Copies <paramref name="bytes"/> with the given subtype.</summary>
    public BsonBinaryData(ReadOnlySpan<byte> bytes, BsonBinarySubtype subtype = BsonBinarySubtype.Generic)
    {
        _bytes = bytes.ToArray();
        Subtype = subtype;
    }

    private BsonBinaryData(byte[] owned, BsonBinarySubtype subtype)
    {
        _bytes = owned;
        Subtype = subtype;
    }

    /// <summary>The subtype byte.</summary>
    public BsonBinarySubtype Subtype { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <inheritdoc />
    public override BsonType Type => BsonType.Binary;

    /// <summary>Wraps a UUID as subtype 4 (RFC 4122 byte order).</summary>
    public static BsonBinaryData FromGuid(Guid guid)
    {
        var bytes = new byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return new BsonBinaryData(bytes, BsonBinarySubtype.Uuid);
    }

    /// <summary>Takes ownership of <paramref name="bytes"/> without copying (codec use).</summary>
    internal static BsonBinaryData TakeOwnership(byte[] bytes, BsonBinarySubtype subtype) => new(bytes, subtype);

    /// <summary>The UUID of a 16-byte subtype 4 value.</summary>
    public Guid ToGuid()
    {
        if (Subtype != BsonBinarySubtype.Uuid || _bytes.Length != 16)
        {
            throw new InvalidCastException("Only a 16-byte binary of subtype 4 is a UUID.");
        }

        return new Guid(_bytes, bigEndian: true);
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] BsonValue? other)
        => other is BsonBinaryData b && b.Subtype == Subtype && b._bytes.AsSpan().SequenceEqual(_bytes);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Subtype);
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }
}
