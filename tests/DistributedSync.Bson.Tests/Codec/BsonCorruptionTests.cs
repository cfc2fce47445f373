using System.Buffers.Binary;
using DistributedSync.Bson.IO;
using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

/// <summary>
/// Malformed input of every kind must end in <see cref="BsonFormatException"/>, never in another
/// exception, a hang or an unbounded allocation.
/// </summary>
public sealed class BsonCorruptionTests
{
    public static TheoryData<int> SampleIndexes() => [.. Enumerable.Range(0, BsonSamples.Assorted().Count)];

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Truncation_AtEveryOffset_IsRejected(int sample)
    {
        var bytes = BsonCodec.ToBytes(BsonSamples.Assorted()[sample]);

        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes.AsSpan(0, length)));
            Assert.InRange(e.Offset, 0, length);
        }
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Truncation_WithAConsistentTopLevelLength_IsRejectedInsideTheBody(int sample)
    {
        var bytes = BsonCodec.ToBytes(BsonSamples.Assorted()[sample]);

        for (var length = 5; length < bytes.Length; length++)
        {
            var cut = BsonSamples.TruncatedWithConsistentLength(bytes, length);
            var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(cut));
            Assert.InRange(e.Offset, 0, length);
        }
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void EveryLengthField_WhenAltered_IsRejected(int sample)
    {
        var bytes = BsonCodec.ToBytes(BsonSamples.Assorted()[sample]);
        var offsets = BsonSamples.LengthFieldOffsets(bytes);
        Assert.NotEmpty(offsets);

        foreach (var offset in offsets)
        {
            var original = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            foreach (var value in new[] { original - 1, original + 1, 0, -1, 4, int.MaxValue, int.MinValue, 0x01000000, original * 2 })
            {
                if (value == original)
                {
                    continue;
                }

                var mutated = BsonSamples.WithInt32(bytes, offset, value);
                var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(mutated));
                Assert.InRange(e.Offset, 0, bytes.Length);
            }
        }
    }

    [Fact]
    public void MissingTerminators_AreRejected()
    {
        // Document whose last byte is not 0x00.
        var doc = BsonCodec.ToBytes(new BsonDocument("a", 1));
        doc[^1] = 0x01;
        Assert.Equal(doc.Length - 1, Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(doc)).Offset);

        // Field name running into the end of the document.
        var name = Convert.FromHexString("0800000010616200");
        Assert.Equal(5, Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(name)).Offset);

        // String whose declared last byte is not 0x00.
        var text = BsonCodec.ToBytes(new BsonDocument("s", "abc"));
        text[^2] = (byte)'d';
        Assert.Equal(text.Length - 2, Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(text)).Offset);

        // Regex options without terminator.
        var regex = Convert.FromHexString("0C0000000B6100610062" + "6300");
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(regex));

        // Embedded document missing its terminator (the outer terminator follows directly).
        var nested = Convert.FromHexString("10000000" + "036100" + "0600000010" + "0000");
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(nested));
    }

    [Fact]
    public void HugeDeclaredLengths_AreRejectedWithoutAllocatingThem()
    {
        var inputs = new List<byte[]>
        {
            BsonDecoderTests.Int32Bytes(int.MaxValue),
            (byte[])[.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00],
            BsonDecoderTests.Wrap(0x02, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00]),
            BsonDecoderTests.Wrap(0x05, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00, 0x00]),
            BsonDecoderTests.Wrap(0x05, [.. BsonDecoderTests.Int32Bytes(0x7FFFFFF0), 0x02, .. BsonDecoderTests.Int32Bytes(0x7FFFFFEC)]),
            BsonDecoderTests.Wrap(0x03, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00]),
            BsonDecoderTests.Wrap(0x04, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00]),
            BsonDecoderTests.Wrap(0x0F, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00]),
            BsonDecoderTests.Wrap(0x0F, [.. BsonDecoderTests.Int32Bytes(20), .. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00, .. BsonDecoderTests.Int32Bytes(5), 0x00, 0, 0, 0]),
            BsonDecoderTests.Wrap(0x0C, [.. BsonDecoderTests.Int32Bytes(int.MaxValue), 0x00]),
        };

        foreach (var input in inputs)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(input));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 * 1024, $"Decoding {Convert.ToHexString(input)} allocated {allocated} bytes.");
        }
    }

    [Fact]
    public void DepthBomb_OfNestedDocuments_IsRejectedAtTheLimit()
    {
        Assert.Equal(new BsonDocument(), Unwrap(BsonCodec.Decode(Nested(BsonType.Document, 200)), 199));

        var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Document, 201)));
        Assert.Contains("200", e.Reason, StringComparison.Ordinal);
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Document, 100_000)));
    }

    [Fact]
    public void DepthBomb_OfNestedArrays_IsRejectedAtTheLimit()
    {
        BsonCodec.Decode(Nested(BsonType.Array, 200));

        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Array, 201)));
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Array, 100_000)));
    }

    [Fact]
    public void Depth_CustomLimitsAndTheCeilingAreHonoured()
    {
        var shallow = new BsonReaderOptions { MaxDepth = 3 };
        BsonCodec.Decode(Nested(BsonType.Document, 3), shallow);
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Document, 4), shallow));

        var deepest = new BsonReaderOptions { MaxDepth = BsonReaderOptions.DepthCeiling };
        BsonCodec.Decode(Nested(BsonType.Document, BsonReaderOptions.DepthCeiling), deepest);
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Nested(BsonType.Document, BsonReaderOptions.DepthCeiling + 1), deepest));
    }

    [Fact]
    public void Depth_CodeWithScopeCountsItsScope()
    {
        var options = new BsonReaderOptions { MaxDepth = 2 };
        var one = BsonCodec.ToBytes(new BsonDocument("c", new BsonJavaScriptWithScope("x", new BsonDocument())));
        var two = BsonCodec.ToBytes(new BsonDocument("c", new BsonJavaScriptWithScope("x", new BsonDocument("d", new BsonDocument()))));

        BsonCodec.Decode(one, options);
        Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(two, options));
    }

    [Fact]
    public void CodeWithScope_InconsistentTotalLength_IsRejected()
    {
        var bytes = BsonCodec.ToBytes(new BsonDocument("c", new BsonJavaScriptWithScope("x", new BsonDocument())).Add("z", BsonNull.Value));
        var totalOffset = 4 + 1 + 2;
        var total = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(totalOffset));

        foreach (var wrong in new[] { total - 1, total + 1, total + 3, 13, 14 })
        {
            var e = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(BsonSamples.WithInt32(bytes, totalOffset, wrong)));
            Assert.InRange(e.Offset, 0, bytes.Length);
        }
    }

    [Fact]
    public void RandomMutations_EitherDecodeOrRaiseBsonFormatException()
    {
        var mutation = Gen.OneOf(
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255)).Select(t => (Kind: 0, Position: t.Item1, Value: t.Item2)),
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255)).Select(t => (Kind: 1, Position: t.Item1, Value: t.Item2)),
            Gen.Choose(0, int.MaxValue).Select(p => (Kind: 2, Position: p, Value: 0)),
            Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Elements(0, -1, 1, 4, 5, int.MaxValue, int.MinValue, 0x100)).Select(t => (Kind: 3, Position: t.Item1, Value: t.Item2)));
        var cases = Gen.Zip(BsonGen.DocumentWithDuplicateNames, Gen.NonEmptyListOf(mutation));

        Prop.ForAll(Arb.From(cases), testCase =>
            {
                var bytes = BsonCodec.ToBytes(testCase.Item1).ToList();
                foreach (var (kind, position, value) in testCase.Item2)
                {
                    Mutate(bytes, kind, position, value);
                }

                var mutated = bytes.ToArray();
                try
                {
                    var decoded = BsonCodec.Decode(mutated);

                    // Whatever decodes must re-encode and decode to the same document.
                    Assert.Equal(decoded, BsonCodec.Decode(BsonCodec.ToBytes(decoded)));
                }
                catch (BsonFormatException e)
                {
                    Assert.InRange(e.Offset, 0, mutated.Length);
                }
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void RandomBytes_EitherDecodeOrRaiseBsonFormatException()
    {
        var framed = Gen.Sized(size => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), Math.Max(1, size)))
            .Select(body =>
            {
                // A plausible frame so that decoding gets past the top-level length check.
                var bytes = new byte[body.Length + 5];
                BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
                body.CopyTo(bytes, 4);
                return bytes;
            });

        Prop.ForAll(Arb.From(framed), bytes =>
            {
                try
                {
                    BsonCodec.Decode(bytes);
                }
                catch (BsonFormatException e)
                {
                    Assert.InRange(e.Offset, 0, bytes.Length);
                }
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    private static void Mutate(List<byte> bytes, int kind, int position, int value)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        var at = position % bytes.Count;
        switch (kind)
        {
            case 0:
                bytes[at] = (byte)value;
                break;
            case 1:
                bytes.Insert(at, (byte)value);
                break;
            case 2:
                bytes.RemoveAt(at);
                break;
            default:
                if (at + 4 <= bytes.Count)
                {
                    var four = BsonDecoderTests.Int32Bytes(value);
                    for (var i = 0; i < 4; i++)
                    {
                        bytes[at + i] = four[i];
                    }
                }

                break;
        }
    }

    /// <summary>A document whose first field nests <paramref name="levels"/> - 1 containers, so the total depth is <paramref name="levels"/>.</summary>
    private static byte[] Nested(BsonType type, int levels)
    {
        // Each level but the innermost: length, type, "0\0" (a valid array key too), the inner
        // value, terminator. The innermost is an empty document. Written outside-in, in one pass.
        var total = 5 + (8 * (levels - 1));
        var bytes = new byte[total];
        for (var level = 0; level < levels - 1; level++)
        {
            var at = 7 * level;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), total - (8 * level));
            bytes[at + 4] = (byte)type;
            bytes[at + 5] = (byte)'0';
        }

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(7 * (levels - 1)), 5);
        return bytes;
    }

    private static BsonValue Unwrap(BsonDocument document, int levels)
    {
        BsonValue current = document;
        for (var i = 0; i < levels; i++)
        {
            current = ((BsonDocument)current)["0"];
        }

        return current;
    }
}
