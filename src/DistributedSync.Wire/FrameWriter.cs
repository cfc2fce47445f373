using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DistributedSync.Wire;

/// <summary>
/// Writes message fields to a buffer writer, keeping a running CRC-32C of everything written
/// when the message carries a checksum.
/// </summary>
internal struct FrameWriter(IBufferWriter<byte> destination, bool checksum)
{
    private uint _crc;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        destination.Write(bytes);
        if (checksum)
        {
            _crc = Crc32C.Append(_crc, bytes);
        }
    }

    public void WriteHeader(int length, WireMessage message)
    {
        Span<byte> bytes = stackalloc byte[MessageHeader.Size];
        new MessageHeader(length, message.RequestId, message.ResponseTo, message.OpCode).Write(bytes);
        Write(bytes);
    }

    public void WriteByte(byte value) => Write([value]);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    /// <summary>Writes a string as UTF-8 plus NUL; <paramref name="utf8Length"/> is its byte count.</summary>
    public void WriteCString(string value, int utf8Length)
    {
        var span = destination.GetSpan(utf8Length + 1);
        var written = Encoding.UTF8.GetBytes(value, span);
        span[written] = 0;
        if (checksum)
        {
            _crc = Crc32C.Append(_crc, span[..(written + 1)]);
        }

        destination.Advance(written + 1);
    }

    /// <summary>Appends the checksum of everything written so far.</summary>
    public readonly void WriteChecksum()
    {
        var span = destination.GetSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, _crc);
        destination.Advance(4);
    }
}
