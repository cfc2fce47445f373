using System.Buffers;
using DistributedSync.Bson.IO;

namespace DistributedSync.Wire;

/// <summary>
/// Reads and writes whole messages on a <see cref="Stream"/> (e.g. a socket's NetworkStream),
/// with pooled buffers.
/// </summary>
/// <remarks>
/// End of stream: before the first byte of a header, the read methods return null (the peer
/// closed cleanly between messages); after at least one byte of a message, they throw
/// <see cref="EndOfStreamException"/>. Malformed bytes throw <see cref="WireProtocolException"/>;
/// after either exception the connection is out of step and should be closed.
/// </remarks>
public static class WireStream
{
    /// <summary>Reads and decodes the next message, or returns null at a clean end of stream.</summary>
    /// <exception cref="EndOfStreamException">The stream ended inside a message.</exception>
    /// <exception cref="WireProtocolException">The message is malformed or exceeds the limits.</exception>
    public static async ValueTask<WireMessage?> ReadMessageAsync(Stream stream, WireLimits? limits = null, CancellationToken cancellationToken = default)
    {
        using var frame = await ReadFrameAsync(stream, limits, cancellationToken).ConfigureAwait(false);
        return frame?.Decode(limits);
    }

    /// <summary>
    /// Reads the next message's raw bytes without decoding them, or returns null at a clean end of
    /// stream. Only the declared length is validated; the caller disposes the frame.
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended inside a message.</exception>
    /// <exception cref="WireProtocolException">The declared length is out of bounds.</exception>
    public static async ValueTask<WireFrame?> ReadFrameAsync(Stream stream, WireLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= WireLimits.Default;

        var headerBytes = ArrayPool<byte>.Shared.Rent(MessageHeader.Size);
        MessageHeader header;
        try
        {
            var read = await stream.ReadAtLeastAsync(headerBytes.AsMemory(0, MessageHeader.Size), MessageHeader.Size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            if (read < MessageHeader.Size)
            {
                throw new EndOfStreamException($"The stream ended after {read} bytes of a {MessageHeader.Size}-byte message header.");
            }

            header = MessageHeader.Read(headerBytes);
            MessageHeader.ValidateLength(header.MessageLength, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(headerBytes);
        }

        // The length is validated, so this allocation is bounded by the limits.
        var buffer = ArrayPool<byte>.Shared.Rent(header.MessageLength);
        var frame = new WireFrame(buffer, header);
        try
        {
            header.Write(buffer);
            await stream.ReadExactlyAsync(buffer.AsMemory(MessageHeader.Size, header.MessageLength - MessageHeader.Size), cancellationToken).ConfigureAwait(false);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>Encodes <paramref name="message"/> and writes it with a single write call.</summary>
    /// <exception cref="ArgumentException">The message exceeds <see cref="WireLimits.MaxMessageSize"/>.</exception>
    public static async ValueTask WriteMessageAsync(Stream stream, WireMessage message, WireLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new PooledBufferWriter();
        WireMessageCodec.Encode(message, buffer, limits);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
