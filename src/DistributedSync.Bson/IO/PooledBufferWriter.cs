using System.Buffers;

namespace DistributedSync.Bson.IO;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over one contiguous array rented from
/// <see cref="ArrayPool{T}.Shared"/>. Written bytes stay contiguous, so a writer can reserve a
/// length field and fill it in later (<see cref="GetWrittenSpanToPatch"/>). Dispose returns the
/// array to the pool: spans and memory handed out earlier must not be used afterwards.
/// Not thread-safe.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultInitialCapacity = 256;
    private byte[] _buffer;
    private int _written;
    private bool _disposed;

    /// <summary>Creates a writer whose first buffer holds at least <paramref name="initialCapacity"/> bytes.</summary>
    public PooledBufferWriter(int initialCapacity = DefaultInitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = initialCapacity == 0 ? [] : ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>How many bytes have been written.</summary>
    public int WrittenCount => _written;

    /// <summary>The size of the current buffer.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>How many bytes can be written before the buffer grows.</summary>
    public int FreeCapacity => _buffer.Length - _written;

    /// <summary>The bytes written so far (valid until the next write, <see cref="Clear"/> or dispose).</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            ThrowIfDisposed();
            return _buffer.AsSpan(0, _written);
        }
    }

    /// <summary>The bytes written so far (valid until the next write, <see cref="Clear"/> or dispose).</summary>
    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            ThrowIfDisposed();
            return _buffer.AsMemory(0, _written);
        }
    }

    /// <summary>A writable view of bytes already written, e.g. to fill in a length reserved earlier.</summary>
    public Span<byte> GetWrittenSpanToPatch(int offset, int length)
    {
        ThrowIfDisposed();
        if ((uint)offset > (uint)_written || (uint)length > (uint)(_written - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset}+{length}) is not within the {_written} bytes written.");
        }

        return _buffer.AsSpan(offset, length);
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ThrowIfDisposed();
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {_buffer.Length - _written} bytes were made available.");
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        EnsureFree(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += bytes.Length;
    }

    /// <summary>Forgets the written bytes and keeps the buffer for reuse.</summary>
    public void Clear()
    {
        ThrowIfDisposed();
        _written = 0;
    }

    /// <summary>Discards the bytes written after the first <paramref name="length"/>.</summary>
    public void Truncate(int length)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _written);
        _written = length;
    }

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureFree(int sizeHint)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var required = (long)_written + needed;
        if (required > Array.MaxLength)
        {
            throw new OutOfMemoryException($"A pooled buffer cannot hold {required} bytes.");
        }

        var grown = Math.Max(required, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Max(grown, DefaultInitialCapacity));
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
