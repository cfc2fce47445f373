using System.Buffers.Binary;
using System.Text;

namespace DistributedSync.Bson.IO;

/// <summary>
/// A process-wide, lock-free cache of short ASCII field names, so that decoding many documents with
/// the same shape does not allocate a new string per field. Each slot holds the last name that
/// hashed to it; races between threads only cost a redundant allocation (a string reference is
/// written atomically and a reader compares the bytes before using a cached string).
/// </summary>
internal static class FieldNameCache
{
    /// <summary>Names longer than this many bytes are not cached.</summary>
    public const int MaxLength = 32;

    private const int SlotBits = 12;
    private const int SlotCount = 1 << SlotBits;
    private static readonly string?[] Slots = new string?[SlotCount];

    /// <summary>The string for ASCII <paramref name="bytes"/>; null when they are not all ASCII.</summary>
    public static string? GetOrAdd(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var slot = (int)(Hash(bytes) >> (64 - SlotBits));
        var cached = Slots[slot];
        if (cached is not null && Ascii.Equals(bytes, cached))
        {
            return cached;
        }

        if (!Ascii.IsValid(bytes))
        {
            return null;
        }

        var created = Encoding.ASCII.GetString(bytes);
        Slots[slot] = created;
        return created;
    }

    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime = 0x9E3779B97F4A7C15UL;
        var hash = (ulong)bytes.Length * Prime;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * Prime;
        }

        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (var shift = 0; i < bytes.Length; i++, shift += 8)
            {
                tail |= (ulong)bytes[i] << shift;
            }

            hash = (hash ^ tail) * Prime;
        }

        // Multiplicative (Fibonacci) hashing: the caller takes the top bits, which depend on every input bit.
        return hash * Prime;
    }
}
