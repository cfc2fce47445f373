using System.Buffers;

namespace DistributedSync.Bson.Tests.Codec;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/> values for tests.</summary>
public static class Segments
{
    /// <summary>Splits <paramref name="bytes"/> into segments of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (bytes.Length <= size)
        {
            // Still produce two segments (one empty) so the multi-segment path is taken.
            var only = new Segment(bytes);
            var empty = only.Append(Array.Empty<byte>());
            return new ReadOnlySequence<byte>(only, 0, empty, 0);
        }

        var first = new Segment(bytes.AsMemory(0, size));
        var last = first;
        for (var offset = size; offset < bytes.Length; offset += size)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
