using System.Buffers;

namespace DistributedSync.Wire;

/// <summary>
/// The raw bytes of one received message in a pooled buffer. Dispose it to return the buffer;
/// <see cref="Memory"/> must not be used afterwards.
/// </summary>
public sealed class WireFrame : IDisposable
{
    private byte[]? _buffer;

    internal WireFrame(byte[] buffer, MessageHeader header)
    {
        _buffer = buffer;
        Header = header;
    }

    /// <summary>The message header (its length validated against the limits it was read with).</summary>
    public MessageHeader Header { get; }

    /// <summary>The whole message, header included.</summary>
    /// <exception cref="ObjectDisposedException">The frame has been disposed.</exception>
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer.AsMemory(0, Header.MessageLength);
        }
    }

    /// <summary>Decodes the message.</summary>
    /// <exception cref="WireProtocolException">The message is malformed.</exception>
    public WireMessage Decode(WireLimits? limits = null) => WireMessageCodec.Decode(Memory.Span, limits);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
