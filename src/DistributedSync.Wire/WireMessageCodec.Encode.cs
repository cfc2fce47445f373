using System.Buffers;
using System.Text;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

public static partial class WireMessageCodec
{
    /// <summary>
    /// Writes <paramref name="message"/> as one complete message: header with the computed length,
    /// the operation's fields and, for an OP_MSG with <see cref="OpMsgFlags.ChecksumPresent"/>, the
    /// trailing CRC-32C. Nothing is written when the message is too large.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The message would exceed <see cref="WireLimits.MaxMessageSize"/>,
    /// or is of a type this codec cannot encode.</exception>
    public static int Encode(WireMessage message, IBufferWriter<byte> destination, WireLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(destination);
        limits ??= WireLimits.Default;

        // Documents are encoded first, into a pooled scratch buffer, so every length is known
        // before the header is written; then the pieces are copied to the destination in order.
        using var scratch = new PooledBufferWriter();
        return message switch
        {
            OpMsgMessage msg => EncodeMsg(msg, destination, scratch, limits),
            OpQueryMessage query => EncodeQuery(query, destination, scratch, limits),
            OpReplyMessage reply => EncodeReply(reply, destination, scratch, limits),
            _ => throw new ArgumentException($"Cannot encode a {message.GetType().Name}.", nameof(message)),
        };
    }

    /// <summary>The encoded message as a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="Encode"/>.</exception>
    public static byte[] ToBytes(WireMessage message, WireLimits? limits = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(message, buffer, limits);
        return buffer.WrittenSpan.ToArray();
    }

    private static int EncodeMsg(OpMsgMessage message, IBufferWriter<byte> destination, PooledBufferWriter scratch, WireLimits limits)
    {
        var sequences = message.Sequences;
        Span<int> ends = sequences.Count <= 16 ? stackalloc int[sequences.Count + 1] : new int[sequences.Count + 1];
        Span<int> identifierLengths = sequences.Count <= 16 ? stackalloc int[sequences.Count] : new int[sequences.Count];

        BsonCodec.Encode(message.Body, scratch);
        ends[0] = scratch.WrittenSpan.Length;
        long total = MessageHeader.Size + 4 + 1 + ends[0];
        for (var i = 0; i < sequences.Count; i++)
        {
            foreach (var document in sequences[i].Documents)
            {
                BsonCodec.Encode(document, scratch);
            }

            ends[i + 1] = scratch.WrittenSpan.Length;
            identifierLengths[i] = Encoding.UTF8.GetByteCount(sequences[i].Identifier);
            total += 1 + 4 + identifierLengths[i] + 1 + (ends[i + 1] - ends[i]);
        }

        var checksum = message.ChecksumPresent;
        if (checksum)
        {
            total += 4;
        }

        var length = CheckSize(total, limits);
        var written = scratch.WrittenSpan;
        var writer = new FrameWriter(destination, checksum);
        writer.WriteHeader(length, message);
        writer.WriteInt32((int)message.Flags);
        writer.WriteByte(0);
        writer.Write(written[..ends[0]]);
        for (var i = 0; i < sequences.Count; i++)
        {
            writer.WriteByte(1);
            writer.WriteInt32(4 + identifierLengths[i] + 1 + (ends[i + 1] - ends[i]));
            writer.WriteCString(sequences[i].Identifier, identifierLengths[i]);
            writer.Write(written[ends[i]..ends[i + 1]]);
        }

        if (checksum)
        {
            writer.WriteChecksum();
        }

        return length;
    }

    private static int EncodeQuery(OpQueryMessage message, IBufferWriter<byte> destination, PooledBufferWriter scratch, WireLimits limits)
    {
        var nameLength = Encoding.UTF8.GetByteCount(message.FullCollectionName);
        BsonCodec.Encode(message.Query, scratch);
        if (message.ReturnFieldsSelector is { } selector)
        {
            BsonCodec.Encode(selector, scratch);
        }

        var length = CheckSize(MessageHeader.Size + 4 + nameLength + 1 + 4 + 4 + (long)scratch.WrittenSpan.Length, limits);
        var writer = new FrameWriter(destination, checksum: false);
        writer.WriteHeader(length, message);
        writer.WriteInt32((int)message.Flags);
        writer.WriteCString(message.FullCollectionName, nameLength);
        writer.WriteInt32(message.NumberToSkip);
        writer.WriteInt32(message.NumberToReturn);
        writer.Write(scratch.WrittenSpan);
        return length;
    }

    private static int EncodeReply(OpReplyMessage message, IBufferWriter<byte> destination, PooledBufferWriter scratch, WireLimits limits)
    {
        foreach (var document in message.Documents)
        {
            BsonCodec.Encode(document, scratch);
        }

        var length = CheckSize(MessageHeader.Size + 4 + 8 + 4 + 4 + (long)scratch.WrittenSpan.Length, limits);
        var writer = new FrameWriter(destination, checksum: false);
        writer.WriteHeader(length, message);
        writer.WriteInt32((int)message.ResponseFlags);
        writer.WriteInt64(message.CursorId);
        writer.WriteInt32(message.StartingFrom);
        writer.WriteInt32(message.NumberReturned);
        writer.Write(scratch.WrittenSpan);
        return length;
    }

    private static int CheckSize(long total, WireLimits limits)
    {
        if (total > limits.MaxMessageSize)
        {
            throw new ArgumentException($"The encoded message would be {total} bytes, above the maximum message size {limits.MaxMessageSize}.", "message");
        }

        return (int)total;
    }
}
