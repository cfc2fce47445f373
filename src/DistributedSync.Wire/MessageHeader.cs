using System.Buffers;
using System.Buffers.Binary;

namespace DistributedSync.Wire;

/// <summary>
/// The 16-byte header that starts every wire-protocol message: four little-endian int32 fields.
/// </summary>
/// <param name="MessageLength">Total message size in bytes, the header included.</param>
/// <param name="RequestId">The sender's identifier for this message.</param>
/// <param name="ResponseTo">The <c>requestID</c> this message answers, or 0 for a request.</param>
/// <param name="OpCode">The kind of message that follows the header.</param>
public readonly record struct MessageHeader(int MessageLength, int RequestId, int ResponseTo, OpCode OpCode)
{
    /// <summary>The size of the header in bytes.</summary>
    public const int Size = 16;

    /// <summary>Reads a header from the first 16 bytes of <paramref name="source"/> without validating it.</summary>
    /// <exception cref="WireProtocolException">Fewer than 16 bytes are given.</exception>
    public static MessageHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new WireProtocolException(source.Length, $"The message ends inside its {Size}-byte header.");
        }

        return new MessageHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source),
            BinaryPrimitives.ReadInt32LittleEndian(source[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
            (OpCode)BinaryPrimitives.ReadInt32LittleEndian(source[12..]));
    }

    /// <summary>Reads a header from the first 16 bytes of a (possibly multi-segment) sequence.</summary>
    /// <returns>False when fewer than 16 bytes are available.</returns>
    public static bool TryRead(in ReadOnlySequence<byte> source, out MessageHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        source.Slice(0, Size).CopyTo(bytes);
        header = Read(bytes);
        return true;
    }

    /// <summary>Writes the header into the first 16 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        BinaryPrimitives.WriteInt32LittleEndian(destination, MessageLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], RequestId);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], ResponseTo);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], (int)OpCode);
    }

    /// <summary>
    /// The smallest valid <c>messageLength</c> for a message of <paramref name="opCode"/>, or -1
    /// when this library does not decode that operation.
    /// </summary>
    public static int MinimumLength(OpCode opCode) => opCode switch
    {
        // flagBits, one kind byte and the smallest document.
        OpCode.Msg => Size + 4 + 1 + 5,

        // flags, an empty cstring, numberToSkip, numberToReturn and the smallest document.
        OpCode.Query => Size + 4 + 1 + 4 + 4 + 5,

        // responseFlags, cursorID, startingFrom, numberReturned.
        OpCode.Reply => Size + 4 + 8 + 4 + 4,
        _ => -1,
    };

    /// <summary>
    /// Validates the declared length against the bounds of every message (at least the header,
    /// at most <see cref="WireLimits.MaxMessageSize"/>); usable as soon as the first four bytes
    /// have arrived, before the message body is buffered.
    /// </summary>
    /// <exception cref="WireProtocolException">The length is out of bounds.</exception>
    public static void ValidateLength(int messageLength, WireLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (messageLength < Size)
        {
            throw new WireProtocolException(0, $"The declared message length {messageLength} is smaller than the {Size}-byte header.");
        }

        if (messageLength > limits.MaxMessageSize)
        {
            throw new WireProtocolException(0, $"The declared message length {messageLength} exceeds the maximum message size {limits.MaxMessageSize}.");
        }
    }

    /// <summary>
    /// Validates the whole header: the length bounds, a supported operation code, and the
    /// smallest length that operation allows.
    /// </summary>
    /// <exception cref="WireProtocolException">The header cannot start a valid message.</exception>
    public void Validate(WireLimits limits)
    {
        ValidateLength(MessageLength, limits);
        var minimum = MinimumLength(OpCode);
        if (minimum < 0)
        {
            throw new WireProtocolException(12, $"Unsupported opCode {(int)OpCode}.");
        }

        if (MessageLength < minimum)
        {
            throw new WireProtocolException(0, $"The declared message length {MessageLength} is smaller than the {minimum} bytes the smallest {OpCode} message needs.");
        }
    }
}
