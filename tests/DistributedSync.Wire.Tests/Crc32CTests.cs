using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Wire.Tests;

public sealed class Crc32CTests
{
    // Check value of the CRC-32C catalogue entry, and the iSCSI test vectors of RFC 3720 B.4.
    public static TheoryData<byte[], uint> KnownValues => new()
    {
        { Encoding.ASCII.GetBytes("123456789"), 0xE3069283u },
        { [], 0u },
        { new byte[32], 0x8A9136AAu },
        { Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43u },
        { Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794Eu },
        { Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5Cu },
    };

    private static readonly Arbitrary<byte[]> Bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary();

    [Theory]
    [MemberData(nameof(KnownValues))]
    public void Compute_MatchesKnownValue(byte[] data, uint expected)
        => Assert.Equal(expected, Crc32C.Compute(data));

    [Theory]
    [MemberData(nameof(KnownValues))]
    public void SoftwarePath_MatchesKnownValue(byte[] data, uint expected)
        => Assert.Equal(expected, ~Crc32C.UpdateSoftware(~0u, data));

    [Theory]
    [MemberData(nameof(KnownValues))]
    public void HardwarePath_MatchesKnownValue(byte[] data, uint expected)
    {
        if (!Crc32C.IsHardwareAccelerated)
        {
            Assert.Skip("This processor has no CRC32C instruction.");
        }

        Assert.Equal(expected, ~Crc32C.UpdateHardware(~0u, data));
    }

    [Fact]
    public void Compute_OfMultiSegmentSequence_EqualsComputeOfContiguousBytes()
    {
        var data = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xE3069283u, Crc32C.Compute(Support.Segments.Split(data, 1, 4, 5)));
    }

    [Fact]
    public void SoftwareAndHardware_AgreeWithBitwiseReference_OnRandomInputs()
    {
        var prop = Prop.ForAll(
            Bytes,
            data =>
            {
                var reference = Bitwise(data);
                var software = ~Crc32C.UpdateSoftware(~0u, data);
                var hardware = Crc32C.IsHardwareAccelerated ? ~Crc32C.UpdateHardware(~0u, data) : reference;
                return software == reference && hardware == reference && Crc32C.Compute(data) == reference;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithEndSize(300), prop);
    }

    [Fact]
    public void Append_OverAnySplit_EqualsComputeOfWhole()
    {
        var prop = Prop.ForAll(
            Bytes,
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (data, cut) =>
            {
                var at = cut % (data.Length + 1);
                return Crc32C.Append(Crc32C.Compute(data.AsSpan(0, at)), data.AsSpan(at)) == Crc32C.Compute(data);
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void Compute_DetectsSingleBitFlip()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        var original = Crc32C.Compute(data);
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    // The definition, one bit at a time: independent of both implementations under test.
    private static uint Bitwise(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
