using DistributedSync.Bson.IO;
using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

/// <summary>Property tests over arbitrary documents covering every BSON type.</summary>
public sealed class BsonRoundTripProperties
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Fact]
    public void DecodeOfEncode_IsTheSameDocument()
        => Prop.ForAll(BsonGen.Documents, d => Assert.Equal(d, BsonCodec.Decode(BsonCodec.ToBytes(d)))).Check(Many);

    [Fact]
    public void DecodeOfEncode_KeepsDuplicateNamesInOrder()
        => Prop.ForAll(Arb.From(BsonGen.DocumentWithDuplicateNames), d =>
            {
                var decoded = BsonCodec.Decode(BsonCodec.ToBytes(d));
                Assert.Equal(d, decoded);
                Assert.Equal(d.Names, decoded.Names);
            }).Check(Many);

    [Fact]
    public void EncodeOfDecode_IsTheSameBytes()
        => Prop.ForAll(Arb.From(BsonGen.DocumentWithDuplicateNames), d =>
            {
                // Byte equality also covers what value equality cannot see, such as -0.0 and NaN payloads.
                var bytes = BsonCodec.ToBytes(d);
                Assert.Equal(bytes, BsonCodec.ToBytes(BsonCodec.Decode(bytes)));
            }).Check(Many);

    [Fact]
    public void EveryEncodingPath_ProducesTheSameBytes()
        => Prop.ForAll(BsonGen.Documents, d =>
            {
                var bytes = BsonCodec.ToBytes(d);
                Assert.Equal(bytes.Length, BsonCodec.GetEncodedSize(d));
                Assert.True(BsonCodec.TryReadDocumentLength(bytes, out var declared));
                Assert.Equal(bytes.Length, declared);

                using var pooled = new PooledBufferWriter(1);
                BsonCodec.Encode(d, pooled);
                Assert.Equal(bytes, pooled.WrittenSpan.ToArray());

                var stingy = new StingyBufferWriter(2);
                BsonCodec.Encode(d, stingy);
                Assert.Equal(bytes, stingy.Written);

                using var writer = new BsonBinaryWriter();
                writer.WriteValue(d);
                Assert.Equal(bytes, writer.WrittenSpan.ToArray());
            }).Check(Many);

    [Fact]
    public void SegmentedDecoding_MatchesSpanDecoding()
        => Prop.ForAll(BsonGen.Documents, Arb.From(Gen.Choose(1, 16)), (d, segment) =>
            {
                var bytes = BsonCodec.ToBytes(d);
                Assert.Equal(d, BsonCodec.Decode(Segments.Split(bytes, segment)));
            }).Check(Many);

    [Fact]
    public void AnyValue_RoundTripsInsideADocument()
        => Prop.ForAll(BsonGen.Values, v =>
            {
                var document = new BsonDocument("v", v);
                Assert.Equal(v, BsonCodec.Decode(BsonCodec.ToBytes(document))["v"]);
            }).Check(Many);

    [Fact]
    public void Generators_CoverEveryType()
    {
        var seen = new HashSet<BsonType>();
        foreach (var value in BsonGen.Value.Sample(50, 3000))
        {
            Collect(value, seen);
        }

        Assert.Equal(Enum.GetValues<BsonType>().ToHashSet(), seen);
    }

    private static void Collect(BsonValue value, HashSet<BsonType> seen)
    {
        seen.Add(value.Type);
        switch (value)
        {
            case BsonDocument d:
                foreach (var e in d)
                {
                    Collect(e.Value, seen);
                }

                break;
            case BsonArray a:
                foreach (var v in a)
                {
                    Collect(v, seen);
                }

                break;
            case BsonJavaScriptWithScope j:
                Collect(j.Scope, seen);
                break;
        }
    }
}
