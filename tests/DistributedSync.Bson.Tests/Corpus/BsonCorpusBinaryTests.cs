using DistributedSync.Bson.IO;
using DistributedSync.Bson.Tests.Codec;
using Xunit;

namespace DistributedSync.Bson.Tests.Corpus;

/// <summary>
/// The binary half of MongoDB's bson-corpus: every valid case round-trips to its canonical bytes,
/// degenerate and converted bytes behave as the spec says, and every decodeErrors case is
/// rejected with <see cref="BsonFormatException"/>. One test case per corpus case.
/// </summary>
public sealed class BsonCorpusBinaryTests
{
    public static TheoryData<string> DegenerateBsonIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.DegenerateBson is not null));

    public static TheoryData<string> ConvertedBsonIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.ConvertedBson is not null));

    [Theory]
    [MemberData(nameof(BsonCorpus.ValidIds), MemberType = typeof(BsonCorpus))]
    public void Valid_CanonicalBson_DecodesAndEncodesToItself(string id)
    {
        var c = BsonCorpus.Get(id);
        var canonical = BsonCorpusCase.Hex(c.CanonicalBson)!;

        var document = BsonCodec.Decode(canonical);

        Assert.Equal(c.CanonicalBson!.ToUpperInvariant(), Convert.ToHexString(BsonCodec.ToBytes(document)));
        Assert.Equal(canonical.Length, BsonCodec.GetEncodedSize(document));
        using var output = new PooledBufferWriter();
        BsonCodec.Encode(document, output);
        Assert.Equal(canonical, output.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(BsonCorpus.ValidIds), MemberType = typeof(BsonCorpus))]
    public void Valid_CanonicalBson_DecodesTheSameFromASegmentedSequence(string id)
    {
        var c = BsonCorpus.Get(id);
        var canonical = BsonCorpusCase.Hex(c.CanonicalBson)!;

        var fromSpan = BsonCodec.Decode(canonical);
        var fromSequence = BsonCodec.Decode(Segments.Split(canonical, 3));

        Assert.Equal(fromSpan, fromSequence);
        Assert.Equal(canonical, BsonCodec.ToBytes(fromSequence));
    }

    [Theory]
    [MemberData(nameof(DegenerateBsonIds))]
    public void Valid_DegenerateBson_EncodesToCanonicalBson(string id)
    {
        var c = BsonCorpus.Get(id);

        var document = BsonCodec.Decode(BsonCorpusCase.Hex(c.DegenerateBson)!);

        Assert.Equal(c.CanonicalBson!.ToUpperInvariant(), Convert.ToHexString(BsonCodec.ToBytes(document)));
        Assert.Equal(BsonCodec.Decode(BsonCorpusCase.Hex(c.CanonicalBson)!), document);
    }

    /// <summary>
    /// converted_bson is what a driver that replaces deprecated types produces. This library keeps
    /// deprecated types, so canonical bytes round-trip unchanged (checked above); the converted
    /// bytes are themselves valid BSON and must round-trip to themselves, and differ from the
    /// canonical decoding only in the converted values.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvertedBsonIds))]
    public void Valid_ConvertedBson_IsValidAndRoundTrips(string id)
    {
        var c = BsonCorpus.Get(id);
        var converted = BsonCorpusCase.Hex(c.ConvertedBson)!;

        var document = BsonCodec.Decode(converted);

        Assert.Equal(c.ConvertedBson!.ToUpperInvariant(), Convert.ToHexString(BsonCodec.ToBytes(document)));
        Assert.NotEqual(BsonCodec.Decode(BsonCorpusCase.Hex(c.CanonicalBson)!), document);
    }

    [Theory]
    [MemberData(nameof(BsonCorpus.DecodeErrorIds), MemberType = typeof(BsonCorpus))]
    public void DecodeError_IsRejectedWithBsonFormatException(string id)
    {
        var c = BsonCorpus.Get(id);
        var bytes = BsonCorpusCase.Hex(c.Bson)!;

        var fromSpan = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(bytes));
        var fromSequence = Assert.Throws<BsonFormatException>(() => BsonCodec.Decode(Segments.Split(bytes, 2)));

        Assert.InRange(fromSpan.Offset, 0, bytes.Length);
        Assert.False(string.IsNullOrWhiteSpace(fromSpan.Reason));
        Assert.Equal(fromSpan.Offset, fromSequence.Offset);
        Assert.Equal(fromSpan.Reason, fromSequence.Reason);
    }
}
