using System.Text.Json;
using DistributedSync.Bson.IO;
using DistributedSync.Bson.Json;
using DistributedSync.Bson.Tests.Corpus;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>
/// The Extended JSON half of MongoDB's bson-corpus, one test case per corpus case and assertion
/// (the assertions the corpus specification lists for codecs with a native representation).
/// </summary>
public sealed class ExtendedJsonCorpusTests
{
    public static TheoryData<string> CanonicalIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid);

    public static TheoryData<string> LosslessIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => !c.Lossy));

    public static TheoryData<string> RelaxedIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.RelaxedExtJson is not null));

    public static TheoryData<string> DegenerateJsonIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.DegenerateExtJson is not null));

    public static TheoryData<string> DegenerateBsonIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.DegenerateBson is not null));

    public static TheoryData<string> ConvertedIds() => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => c.ConvertedExtJson is not null));

    /// <summary>Extended JSON parse errors (decimal files hold decimal strings, covered by the Decimal128 tests).</summary>
    public static TheoryData<string> JsonParseErrorIds() => BsonCorpus.ToTheoryData(BsonCorpus.ParseErrors.Where(c => c.BsonTypeByte != 0x13));

    [Theory]
    [MemberData(nameof(CanonicalIds))]
    public void CanonicalBson_WritesCanonicalExtJson(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = BsonCodec.Decode(BsonCorpusCase.Hex(c.CanonicalBson)!);
        JsonAssert.Equivalent(c.CanonicalExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Canonical));
    }

    [Theory]
    [MemberData(nameof(CanonicalIds))]
    public void CanonicalExtJson_RoundTripsThroughTheValueModel(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = ExtendedJson.Parse(c.CanonicalExtJson!);
        JsonAssert.Equivalent(c.CanonicalExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Canonical));
    }

    [Theory]
    [MemberData(nameof(LosslessIds))]
    public void CanonicalExtJson_EncodesToCanonicalBson(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = ExtendedJson.Parse(c.CanonicalExtJson!);
        Assert.Equal(c.CanonicalBson, Convert.ToHexString(BsonCodec.ToBytes(document)), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(LosslessIds))]
    public void CanonicalExtJson_Utf8Input_EncodesToCanonicalBson(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = ExtendedJson.Parse(System.Text.Encoding.UTF8.GetBytes(c.CanonicalExtJson!));
        Assert.Equal(c.CanonicalBson, Convert.ToHexString(BsonCodec.ToBytes(document)), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(RelaxedIds))]
    public void CanonicalBson_WritesRelaxedExtJson(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = BsonCodec.Decode(BsonCorpusCase.Hex(c.CanonicalBson)!);
        JsonAssert.Equivalent(c.RelaxedExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Relaxed));
    }

    [Theory]
    [MemberData(nameof(RelaxedIds))]
    public void RelaxedExtJson_RoundTrips(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = ExtendedJson.Parse(c.RelaxedExtJson!);
        JsonAssert.Equivalent(c.RelaxedExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Relaxed));
    }

    [Theory]
    [MemberData(nameof(DegenerateJsonIds))]
    public void DegenerateExtJson_NormalisesToCanonicalForms(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = ExtendedJson.Parse(c.DegenerateExtJson!);
        JsonAssert.Equivalent(c.CanonicalExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Canonical));
        if (!c.Lossy)
        {
            Assert.Equal(c.CanonicalBson, Convert.ToHexString(BsonCodec.ToBytes(document)), ignoreCase: true);
        }
    }

    [Theory]
    [MemberData(nameof(DegenerateBsonIds))]
    public void DegenerateBson_WritesCanonicalExtJson(string id)
    {
        var c = BsonCorpus.Get(id);
        var document = BsonCodec.Decode(BsonCorpusCase.Hex(c.DegenerateBson)!);
        JsonAssert.Equivalent(c.CanonicalExtJson!, ExtendedJson.Write(document, ExtendedJsonMode.Canonical));
        if (c.RelaxedExtJson is not null)
        {
            JsonAssert.Equivalent(c.RelaxedExtJson, ExtendedJson.Write(document, ExtendedJsonMode.Relaxed));
        }
    }

    /// <summary>
    /// We keep deprecated types, so the converted forms are checked for what they are: another
    /// valid pair of Extended JSON and BSON that must agree in both directions.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvertedIds))]
    public void ConvertedForms_AgreeInBothDirections(string id)
    {
        var c = BsonCorpus.Get(id);
        var parsed = ExtendedJson.Parse(c.ConvertedExtJson!);
        Assert.Equal(c.ConvertedBson, Convert.ToHexString(BsonCodec.ToBytes(parsed)), ignoreCase: true);
        var decoded = BsonCodec.Decode(BsonCorpusCase.Hex(c.ConvertedBson)!);
        JsonAssert.Equivalent(c.ConvertedExtJson!, ExtendedJson.Write(decoded, ExtendedJsonMode.Canonical));
    }

    [Theory]
    [MemberData(nameof(JsonParseErrorIds))]
    public void ParseError_IsRejectedAsBsonFormatException(string id)
    {
        var c = BsonCorpus.Get(id);

        // The text is well-formed JSON, so the failure is an Extended JSON one...
        using (JsonDocument.Parse(c.String!))
        {
        }

        // ...which must surface as our format exception with a usable offset.
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(c.String!));
        Assert.InRange(e.Offset, 0, c.String!.Length);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
    }

    /// <summary>
    /// Decimal parse errors are decimal strings; the Decimal128 tests run them one by one. Here
    /// they only check, in one test, that the <c>$numberDecimal</c> wrapper turns every failure
    /// into a <see cref="BsonFormatException"/> pointing at the string.
    /// </summary>
    [Fact]
    public void NumberDecimalWrapper_RejectsEveryDecimalParseErrorString()
    {
        BsonCorpus.SkipIfMissing();
        var cases = BsonCorpus.ParseErrors.Where(c => c.BsonTypeByte == 0x13).ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            const string prefix = "{\"d\": {\"$numberDecimal\": ";
            var json = prefix + JsonSerializer.Serialize(c.String) + "}}";
            var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
            Assert.Equal(prefix.Length, e.Offset);
        }
    }
}
