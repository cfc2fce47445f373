using System.Buffers.Binary;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire.Tests.Support;

/// <summary>
/// Builds message bytes field by field, independently of the codec under test, so tests can
/// state the expected layout and produce deliberately malformed messages.
/// </summary>
internal sealed class RawMessage
{
    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    /// <summary>Starts a message: a placeholder length (filled in by <see cref="Build"/>), ids and opCode.</summary>
    public static RawMessage Start(OpCode opCode, int requestId = 7, int responseTo = 0)
        => new RawMessage().Int32(0).Int32(requestId).Int32(responseTo).Int32((int)opCode);

    public RawMessage Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public RawMessage Int32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return Bytes(b);
    }

    public RawMessage UInt32(uint value) => Int32(unchecked((int)value));

    public RawMessage Int64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        return Bytes(b);
    }

    public RawMessage CString(string value) => Bytes(Encoding.UTF8.GetBytes(value)).Byte(0);

    public RawMessage Bytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public RawMessage Document(BsonDocument document) => Bytes(BsonCodec.ToBytes(document));

    /// <summary>A kind-1 section; <paramref name="sizeAdjust"/> is added to the correct size field.</summary>
    public RawMessage Sequence(string identifier, IEnumerable<BsonDocument> documents, int sizeAdjust = 0)
    {
        Byte(1);
        var sizeAt = Position;
        Int32(0).CString(identifier);
        foreach (var d in documents)
        {
            Document(d);
        }

        return PatchInt32(sizeAt, Position - sizeAt + sizeAdjust);
    }

    public RawMessage PatchInt32(int offset, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        for (var i = 0; i < 4; i++)
        {
            _bytes[offset + i] = b[i];
        }

        return this;
    }

    /// <summary>Appends the CRC-32C of everything so far (call last, after the length is final).</summary>
    public byte[] BuildWithChecksum(int? lengthOverride = null)
    {
        PatchInt32(0, lengthOverride ?? Position + 4);
        var crc = Crc32C.Compute([.. _bytes]);
        return [.. _bytes, (byte)crc, (byte)(crc >> 8), (byte)(crc >> 16), (byte)(crc >> 24)];
    }

    /// <summary>The bytes, with the length field set to the actual size unless overridden.</summary>
    public byte[] Build(int? lengthOverride = null)
    {
        PatchInt32(0, lengthOverride ?? Position);
        return [.. _bytes];
    }
}
