using System.Buffers;

namespace DistributedSync.Wire.Tests.Support;

/// <summary>Builds multi-segment sequences to exercise code paths that cross segment boundaries.</summary>
internal static class Segments
{
    /// <summary>Splits <paramref name="bytes"/> at the given offsets (each segment its own array).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        Chunk? first = null;
        Chunk? last = null;
        var start = 0;
        foreach (var end in bounds)
        {
            var chunk = new Chunk(bytes.AsMemory(start, end - start).ToArray());
            if (first is null)
            {
                first = chunk;
            }
            else
            {
                last!.Append(chunk);
            }

            last = chunk;
            start = end;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    /// <summary>One segment per byte.</summary>
    public static ReadOnlySequence<byte> ByteByByte(byte[] bytes) => Split(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory) => Memory = memory;

        public void Append(Chunk next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
        }
    }
}
