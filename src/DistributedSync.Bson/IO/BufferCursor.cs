using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace DistributedSync.Bson.IO;

/// <summary>
/// Writes forward into an <see cref="IBufferWriter{T}"/> (asking it for more space as needed and
/// advancing it on <see cref="Flush"/>) or into one fixed span.
/// </summary>
internal ref struct BufferCursor
{
    private const int MaxSizeHint = 256 * 1024;
    private const int ContiguousStringLimit = 4096;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte>? _output;
    private Span<byte> _span;
    private int _used;
    private long _remaining;

    /// <summary>Writes into <paramref name="output"/>; <paramref name="expected"/> sizes the requests.</summary>
    public BufferCursor(IBufferWriter<byte> output, long expected)
    {
        _output = output;
        _remaining = expected;
    }

    /// <summary>Writes into a fixed span that must be large enough.</summary>
    public BufferCursor(Span<byte> destination) => _span = destination;

    /// <summary>Bytes written to the current span and not yet flushed.</summary>
    public readonly int Pending => _used;

    /// <summary>Returns the next <paramref name="count"/> bytes of output to fill.</summary>
    public Span<byte> Take(int count)
    {
        if (count > _span.Length - _used)
        {
            Grow(count);
        }

        var slice = _span.Slice(_used, count);
        _used += count;
        return slice;
    }

    public void WriteByte(byte value)
    {
        if (_used == _span.Length)
        {
            Grow(1);
        }

        _span[_used++] = value;
    }

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);

    /// <summary>Copies bytes, across several buffers if the output hands out small ones.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_used == _span.Length)
            {
                Grow(1);
            }

            var n = Math.Min(bytes.Length, _span.Length - _used);
            bytes[..n].CopyTo(_span[_used..]);
            _used += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes the UTF-8 form of <paramref name="text"/> (already validated), which is <paramref name="byteCount"/> bytes long.</summary>
    public void WriteUtf8(string text, int byteCount)
    {
        if (byteCount <= ContiguousStringLimit || byteCount <= _span.Length - _used)
        {
            Utf8.FromUtf16(text, Take(byteCount), out _, out _, replaceInvalidSequences: false);
            return;
        }

        ReadOnlySpan<char> rest = text;
        while (true)
        {
            if (_span.Length - _used < 4)
            {
                Grow(4);
            }

            var status = Utf8.FromUtf16(rest, _span[_used..], out var read, out var written, replaceInvalidSequences: false);
            _used += written;
            rest = rest[read..];
            if (status == OperationStatus.Done)
            {
                return;
            }

            if (status != OperationStatus.DestinationTooSmall)
            {
                throw new InvalidOperationException("A string changed or was not valid UTF-16 while it was being encoded.");
            }

            Grow(4);
        }
    }

    /// <summary>Writes a C string (already checked for NUL and for valid UTF-16) and its terminator.</summary>
    public void WriteCString(string text)
    {
        if (text.Length <= 128 && (text.Length * 3) + 1 <= _span.Length - _used)
        {
            Utf8.FromUtf16(text, _span[_used..], out _, out var written, replaceInvalidSequences: false);
            _span[_used + written] = 0;
            _used += written + 1;
            return;
        }

        WriteUtf8(text, StrictUtf8.GetByteCount(text));
        WriteByte(0);
    }

    /// <summary>Advances the buffer writer past everything written.</summary>
    public void Flush()
    {
        if (_output is not null && _used > 0)
        {
            _output.Advance(_used);
            _remaining -= _used;
            _span = default;
            _used = 0;
        }
    }

    private void Grow(int needed)
    {
        if (_output is null)
        {
            throw new InvalidOperationException("The encoder produced more bytes than it planned (was the document changed while encoding?).");
        }

        Flush();
        var hint = Math.Max(needed, (int)Math.Clamp(_remaining, 0, MaxSizeHint));
        _span = _output.GetSpan(hint);
        if (_span.Length < needed)
        {
            throw new InvalidOperationException($"The buffer writer returned {_span.Length} bytes when asked for at least {needed}.");
        }
    }
}
