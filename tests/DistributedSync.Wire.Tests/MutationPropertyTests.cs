using System.Buffers.Binary;
using DistributedSync.Wire.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Wire.Tests;

/// <summary>
/// Random corruptions of valid messages: whatever the bytes, the decoder either returns a message
/// (which then survives a re-encode/decode round trip) or raises <see cref="WireProtocolException"/>,
/// never any other exception.
/// </summary>
public sealed class MutationPropertyTests
{
    private static readonly byte[][] Originals = [.. Samples.All.Values.Select(f => WireMessageCodec.ToBytes(f()))];

    private enum Kind
    {
        SetByte,
        FlipBit,
        Truncate,
        Insert,
        Delete,
        WriteInt32,
        Append,
    }

    private static readonly int[] InterestingInts = [0, 1, -1, 4, 5, 16, 26, int.MaxValue, int.MinValue, 48_000_000, 0x10000];

    private sealed record Mutation(Kind Kind, int Position, int Value, byte[] Bytes)
    {
        public byte[] Apply(byte[] input)
        {
            var at = input.Length == 0 ? 0 : Position % (input.Length + 1);
            switch (Kind)
            {
                case Kind.SetByte when at < input.Length:
                    input[at] = (byte)Value;
                    return input;
                case Kind.FlipBit when at < input.Length:
                    input[at] ^= (byte)(1 << (Value & 7));
                    return input;
                case Kind.Truncate:
                    return input[..at];
                case Kind.Insert:
                    return [.. input[..at], .. Bytes, .. input[at..]];
                case Kind.Delete:
                    return [.. input[..at], .. input[Math.Min(input.Length, at + 1 + (Value & 7))..]];
                case Kind.WriteInt32 when at + 4 <= input.Length:
                    BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(at), Value);
                    return input;
                case Kind.Append:
                    return [.. input, .. Bytes];
                default:
                    return input;
            }
        }
    }

    private sealed record Case(int Sample, Mutation[] Mutations, bool FixLength, bool FixChecksum)
    {
        public byte[] Build()
        {
            var bytes = (byte[])Originals[Sample].Clone();
            foreach (var m in Mutations)
            {
                bytes = m.Apply(bytes);
            }

            // Repairing the length (and checksum) lets mutations reach past the framing checks.
            if (FixLength && bytes.Length >= 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
            }

            if (FixChecksum && bytes.Length >= 24 && (bytes[16] & 1) != 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
            }

            return bytes;
        }

        public override string ToString()
            => $"sample {Sample}, fixLength {FixLength}, fixChecksum {FixChecksum}: {string.Join("; ", Mutations.Select(m => $"{m.Kind}@{m.Position}={m.Value}[{Convert.ToHexString(m.Bytes)}]"))} => {Convert.ToHexString(Build())}";
    }

    private static readonly Gen<Mutation> MutationGen =
        from kind in Gen.Elements(Enum.GetValues<Kind>())
        from position in Gen.Choose(0, 400)
        from value in Gen.OneOf(Gen.Choose(int.MinValue, int.MaxValue), Gen.Elements(InterestingInts), Gen.Choose(0, 255))
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Resize(12)
        select new Mutation(kind, position, value, bytes);

    private static readonly Arbitrary<Case> Cases = (
        from sample in Gen.Choose(0, Originals.Length - 1)
        from count in Gen.Choose(1, 3)
        from mutations in Gen.ArrayOf(MutationGen, count)
        from fixLength in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from fixChecksum in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Case(sample, mutations, fixLength, fixChecksum)).ToArbitrary();

    [Fact]
    public void RandomMutations_EitherDecodeOrRaiseOnlyWireProtocolException()
    {
        var prop = Prop.ForAll(Cases, c =>
        {
            var bytes = c.Build();
            _ = CheckOne(bytes, () => WireMessageCodec.Decode(bytes));
            _ = CheckOne(bytes, () => WireMessageCodec.Decode(Segments.Split(bytes, 3, 16, 27, bytes.Length / 2)));
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(4000), prop);
    }

    [Fact]
    public void EveryByteOfEverySample_SetToManyValues_DecodesOrRaisesOnlyWireProtocolException()
    {
        var accepted = 0;
        var rejected = 0;
        foreach (var original in Originals)
        {
            for (var i = 0; i < original.Length; i++)
            {
                for (var v = 0; v < 256; v += 5)
                {
                    var bytes = (byte[])original.Clone();
                    bytes[i] ^= (byte)(v == 0 ? 0x80 : v);
                    if (CheckOne(bytes, () => WireMessageCodec.Decode(bytes)))
                    {
                        accepted++;
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        // Changed field values (ids, names, numbers) decode; broken structure is rejected.
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }

    /// <summary>True when the bytes decode; false when rejected properly; fails on anything else.</summary>
    private static bool CheckOne(byte[] bytes, Func<WireMessage> decode)
    {
        WireMessage decoded;
        try
        {
            decoded = decode();
        }
        catch (WireProtocolException e)
        {
            Assert.InRange(e.Offset, 0, Math.Max(bytes.Length, MessageHeader.Size));
            return false;
        }

        // Accepted: re-encoding gives the same message, and the codec's own bytes are a fixed
        // point. (Not always the same length as the input: BSON arrays whose element names are
        // not "0", "1", ... decode, as the corpus requires, and are written back canonically.)
        var reencoded = WireMessageCodec.ToBytes(decoded);
        var again = WireMessageCodec.Decode(reencoded);
        MessageAssert.Equivalent(decoded, again);
        Assert.Equal(reencoded, WireMessageCodec.ToBytes(again));
        return true;
    }

    /// <summary>
    /// Found by <see cref="RandomMutations_EitherDecodeOrRaiseOnlyWireProtocolException"/>: a type
    /// byte mutated from "document" to "array" makes a valid message whose array has non-numeric
    /// element names; it must decode and re-encode canonically (shorter), not be rejected.
    /// </summary>
    [Fact]
    public void Regression_DocumentRetypedAsArray_DecodesAndReencodesCanonically()
    {
        var bytes = Convert.FromHexString(
            "B5000000FBFFFFFF63000000DD0700000000000000A00000000273001200000068C3A96C6C6F2077C3B6726C6420E29C93" +
            "001069333200000000801269363400FFFFFFFFFFFFFF7F0164000000000000000A40086200010A6E00076F69640001234567" +
            "89ABCDEF01234567036E6573746564003400000004617272002A000000103000010000000231000400000074776F00043200" +
            "1000000010746872656500030000000000000562696E00030000000001020300");

        Assert.True(CheckOne(bytes, () => WireMessageCodec.Decode(bytes)));
        Assert.True(WireMessageCodec.ToBytes(WireMessageCodec.Decode(bytes)).Length < bytes.Length);
    }
}
