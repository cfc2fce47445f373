using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace DistributedSync.Wire;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of OP_MSG. Uses the SSE4.2
/// or ARMv8 CRC32 instructions when the processor has them and a slicing-by-8 table otherwise.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;

    // Eight 256-entry tables, flattened: table k at [k * 256].
    private static readonly uint[] Table = BuildTable();

    /// <summary>True when a hardware instruction computes the checksum.</summary>
    public static bool IsHardwareAccelerated => Sse42.IsSupported || Crc32.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC-32C of a (possibly multi-segment) sequence.</summary>
    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        var crc = 0u;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }

        return crc;
    }

    /// <summary>
    /// Continues a checksum: <c>Append(Compute(a), b)</c> equals the checksum of <c>a</c>
    /// followed by <c>b</c>.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
        => ~(IsHardwareAccelerated ? UpdateHardware(~crc, data) : UpdateSoftware(~crc, data));

    /// <summary>Advances the raw (pre-inverted) register with the table-driven algorithm.</summary>
    internal static uint UpdateSoftware(uint state, ReadOnlySpan<byte> data)
    {
        var table = Table;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = table[(7 * 256) + (low & 0xFF)]
                ^ table[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ table[(5 * 256) + ((low >> 16) & 0xFF)]
                ^ table[(4 * 256) + (low >> 24)]
                ^ table[(3 * 256) + (high & 0xFF)]
                ^ table[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ table[256 + ((high >> 16) & 0xFF)]
                ^ table[high >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            state = (state >> 8) ^ table[(state ^ b) & 0xFF];
        }

        return state;
    }

    /// <summary>
    /// Advances the raw register with the CRC32 instruction. Callers must check
    /// <see cref="IsHardwareAccelerated"/> first.
    /// </summary>
    internal static uint UpdateHardware(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            state = (uint)wide;
        }
        else if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }

        if (Sse42.IsSupported)
        {
            while (data.Length >= 4)
            {
                state = Sse42.Crc32(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
                data = data[4..];
            }

            foreach (var b in data)
            {
                state = Sse42.Crc32(state, b);
            }
        }
        else if (Crc32.IsSupported)
        {
            while (data.Length >= 4)
            {
                state = Crc32.ComputeCrc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
                data = data[4..];
            }

            foreach (var b in data)
            {
                state = Crc32.ComputeCrc32C(state, b);
            }
        }
        else
        {
            throw new PlatformNotSupportedException("The processor has no CRC32C instruction.");
        }

        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (var i = 0u; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = table[((k - 1) * 256) + i];
                table[(k * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
