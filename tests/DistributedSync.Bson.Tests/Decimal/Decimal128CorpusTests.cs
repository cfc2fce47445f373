using System.Text.Json;
using DistributedSync.Bson.Tests.Corpus;
using Xunit;

namespace DistributedSync.Bson.Tests.Decimal;

/// <summary>
/// Every string-related case of the bson-corpus decimal128-*.json files, each as its own test
/// case: canonical bytes ↔ canonical string, degenerate strings, and parse errors. The codec and
/// the Extended JSON library are not involved: the 16 value bytes are cut out of the one-field
/// document by hand and the <c>$numberDecimal</c> string is read with System.Text.Json.
/// </summary>
public sealed class Decimal128CorpusTests
{
    public static TheoryData<string> ValidIds()
        => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(IsDecimalFile));

    public static TheoryData<string> DegenerateIds()
        => BsonCorpus.ToTheoryData(BsonCorpus.Valid.Where(c => IsDecimalFile(c) && c.DegenerateExtJson is not null));

    public static TheoryData<string> ParseErrorIds()
        => BsonCorpus.ToTheoryData(BsonCorpus.ParseErrors.Where(IsDecimalFile));

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void CanonicalBytes_ToString_IsTheCanonicalString(string id)
    {
        var c = BsonCorpus.Get(id);
        var value = Decimal128.FromBytes(ValueBytes(c.CanonicalBson!));

        Assert.Equal(NumberDecimal(c.CanonicalExtJson!), value.ToString());
    }

    [Theory]
    [MemberData(nameof(ValidIds))]
    public void CanonicalString_Parse_WritesTheCanonicalBytes(string id)
    {
        var c = BsonCorpus.Get(id);
        var text = NumberDecimal(c.CanonicalExtJson!);
        var parsed = Decimal128.Parse(text);

        if (c.Lossy)
        {
            // The bytes hold what the string cannot say (NaN sign or payload, a non-canonical
            // coefficient); the string must still survive the round trip.
            Assert.Equal(text, parsed.ToString());
        }
        else
        {
            Assert.Equal(c.CanonicalBson![14..46], Hex(parsed), ignoreCase: true);
        }
    }

    [Theory]
    [MemberData(nameof(DegenerateIds))]
    public void DegenerateString_Parse_IsTheCanonicalValue(string id)
    {
        var c = BsonCorpus.Get(id);
        var parsed = Decimal128.Parse(NumberDecimal(c.DegenerateExtJson!));

        Assert.Equal(NumberDecimal(c.CanonicalExtJson!), parsed.ToString());
        if (!c.Lossy)
        {
            Assert.Equal(c.CanonicalBson![14..46], Hex(parsed), ignoreCase: true);
        }
    }

    [Theory]
    [MemberData(nameof(ParseErrorIds))]
    public void ParseErrorString_IsRejected(string id)
    {
        var text = BsonCorpus.Get(id).String!;

        Assert.False(Decimal128.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Decimal128.Parse(text));
    }

    private static bool IsDecimalFile(BsonCorpusCase c) => c.FileName.StartsWith("decimal128-", StringComparison.Ordinal);

    /// <summary>The 16 value bytes of the corpus document <c>{"d": decimal}</c>.</summary>
    private static byte[] ValueBytes(string canonicalBson)
    {
        var document = Convert.FromHexString(canonicalBson);
        Assert.Equal(24, document.Length);
        Assert.Equal(new byte[] { 0x18, 0, 0, 0, 0x13, (byte)'d', 0 }, document[..7]);
        Assert.Equal(0, document[23]);
        return document[7..23];
    }

    private static string Hex(Decimal128 value)
    {
        var bytes = new byte[16];
        value.WriteTo(bytes);
        return Convert.ToHexString(bytes);
    }

    private static string NumberDecimal(string extendedJson)
    {
        using var json = JsonDocument.Parse(extendedJson);
        return json.RootElement.GetProperty("d").GetProperty("$numberDecimal").GetString()!;
    }
}
