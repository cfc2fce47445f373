using System.Buffers;

namespace DistributedSync.Bson.Tests.Codec;

/// <summary>
/// A worst-case <see cref="IBufferWriter{T}"/>: every span it hands out is a fresh array of the
/// requested size plus at most a few bytes, so writers must cope with many small buffers.
/// </summary>
public sealed class StingyBufferWriter(int slack) : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    /// <summary>How many spans were handed out.</summary>
    public int SpansHandedOut { get; private set; }

    /// <summary>Everything advanced so far.</summary>
    public byte[] Written => [.. _written];

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count > _current.Length)
        {
            throw new InvalidOperationException($"Advanced {count} past a span of {_current.Length}.");
        }

        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => Next(sizeHint);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => Next(sizeHint);

    private byte[] Next(int sizeHint)
    {
        SpansHandedOut++;
        _current = new byte[Math.Max(sizeHint, 1) + (SpansHandedOut % (slack + 1))];
        return _current;
    }
}
