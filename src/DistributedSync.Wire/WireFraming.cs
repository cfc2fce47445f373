using System.Buffers;
using System.Buffers.Binary;

namespace DistributedSync.Wire;

/// <summary>
/// Splits a byte stream (e.g. a pipe's buffered data) into message frames using the
/// <c>messageLength</c> of each header. The declared length is validated as soon as its four
/// bytes are available, so a hostile length fails before anything of that size is buffered.
/// </summary>
public static class WireFraming
{
    /// <summary>
    /// Takes one complete message off the front of <paramref name="buffer"/> when it is all there.
    /// </summary>
    /// <param name="buffer">The received, not yet consumed bytes; advanced past the frame on success.</param>
    /// <param name="limits">The limits the declared length must respect.</param>
    /// <param name="frame">The message bytes (header included), a slice of the original buffer.</param>
    /// <returns>True when a frame was taken; false when more bytes are needed (nothing is consumed).</returns>
    /// <exception cref="WireProtocolException">The declared length is below the header size or above
    /// <see cref="WireLimits.MaxMessageSize"/>; the connection cannot be resynchronised.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, WireLimits limits, out ReadOnlySequence<byte> frame)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!TryPeekLength(buffer, out var length))
        {
            frame = default;
            return false;
        }

        MessageHeader.ValidateLength(length, limits);
        if (buffer.Length < length)
        {
            frame = default;
            return false;
        }

        frame = buffer.Slice(0, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>
    /// How many bytes <paramref name="buffer"/> must hold before the frame at its front is
    /// complete: 4 until the length is readable, then the declared length (validated).
    /// Useful for asking a pipe for at least that much.
    /// </summary>
    /// <exception cref="WireProtocolException">The declared length is out of bounds.</exception>
    public static int RequiredLength(in ReadOnlySequence<byte> buffer, WireLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!TryPeekLength(buffer, out var length))
        {
            return 4;
        }

        MessageHeader.ValidateLength(length, limits);
        return length;
    }

    private static bool TryPeekLength(in ReadOnlySequence<byte> buffer, out int length)
    {
        if (buffer.Length < 4)
        {
            length = 0;
            return false;
        }

        var first = buffer.FirstSpan;
        if (first.Length >= 4)
        {
            length = BinaryPrimitives.ReadInt32LittleEndian(first);
            return true;
        }

        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        return true;
    }
}
