using DistributedSync.Bson.IO;
using Xunit;

namespace DistributedSync.Bson.Tests.Codec;

public sealed class BsonEncoderTests
{
    [Fact]
    public void Encode_TheSpecificationExamples()
    {
        Assert.Equal("160000000268656C6C6F0006000000776F726C640000", Convert.ToHexString(BsonCodec.ToBytes(new BsonDocument("hello", "world"))));
        Assert.Equal(
            "310000000442534F4E002600000002300008000000617765736F6D65000131003333333333331440103200C20700000000",
            Convert.ToHexString(BsonCodec.ToBytes(new BsonDocument("BSON", new BsonArray(["awesome", 5.05, 1986])))));
    }

    [Fact]
    public void Encode_EmptyDocument_IsFiveBytes()
    {
        Assert.Equal("0500000000", Convert.ToHexString(BsonCodec.ToBytes(new BsonDocument())));
        Assert.Equal(5, BsonCodec.GetEncodedSize(new BsonDocument()));
    }

    [Fact]
    public void Encode_ArrayKeysAreDecimalIndexes()
    {
        var array = new BsonArray(Enumerable.Range(0, 12).Select(i => (BsonValue)BsonNull.Value));

        var bytes = BsonCodec.ToBytes(new BsonDocument("a", array));

        // After the 4-byte length of the array: 0A "0" 00, 0A "1" 00, ..., 0A "11" 00.
        var expected = string.Concat(Enumerable.Range(0, 12).Select(i => "0A" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "00"));
        Assert.Contains(expected, Convert.ToHexString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_BinarySubtype2_WritesTheInnerLength()
    {
        var document = new BsonDocument("x", new BsonBinaryData([0xFF, 0xFF], BsonBinarySubtype.BinaryOld));

        Assert.Equal("13000000057800060000000202000000FFFF00", Convert.ToHexString(BsonCodec.ToBytes(document)));
    }

    [Fact]
    public void Encode_RegexOptionsAreSorted()
    {
        var document = new BsonDocument("a", new BsonRegularExpression("abc", "xmi"));

        Assert.Equal("100000000B610061626300696D780000", Convert.ToHexString(BsonCodec.ToBytes(document)));
    }

    public static TheoryData<string, BsonDocument, string> Unencodable => new()
    {
        { "NUL in a top-level name", new BsonDocument("a\0b", 1), "a\0b" },
        { "NUL in a nested name", new BsonDocument("outer", new BsonDocument("in\0ner", 1)), "outer.in\0ner" },
        { "NUL in a name inside an array", new BsonDocument("list", new BsonArray([1, new BsonDocument("\0", 2)])), "list.1.\0" },
        { "NUL in a regex pattern", new BsonDocument("r", new BsonRegularExpression("a\0b")), "r" },
        { "NUL in regex options", new BsonDocument("r", new BsonRegularExpression("ab", "i\0")), "r" },
        { "NUL in a scope name", new BsonDocument("code", new BsonJavaScriptWithScope("x", new BsonDocument("s\0", 1))), "code.s\0" },
        { "lone high surrogate in a string", new BsonDocument("s", "a\uD800b"), "s" },
        { "lone low surrogate in a name", new BsonDocument("n\uDC00", 1), "n\uDC00" },
        { "lone surrogate in a symbol", new BsonDocument("y", new BsonSymbol("\uDBFF")), "y" },
        { "lone surrogate in a DBPointer", new BsonDocument("p", new BsonDbPointer("\uD800", ObjectId.Empty)), "p" },
        { "lone surrogate in code", new BsonDocument("j", new BsonJavaScript("\uDFFF")), "j" },
        { "lone surrogate in an array string", new BsonDocument("a", new BsonArray(["ok", "\uD800"])), "a.1" },
    };

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void Encode_RejectsWhatBsonCannotHold_NamingTheField(string why, BsonDocument document, string path)
    {
        using var output = new PooledBufferWriter();

        var e = Assert.Throws<ArgumentException>(() => BsonCodec.Encode(document, output));

        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
        Assert.Throws<ArgumentException>(() => BsonCodec.ToBytes(document));
        Assert.Throws<ArgumentException>(() => BsonCodec.GetEncodedSize(document));
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void Encode_ValidSurrogatePairsAndNulInValuesAreFine()
    {
        var document = new BsonDocument("𝄞", "a\0𝄞\0").Add("r", new BsonRegularExpression("☆", "i"));

        Assert.Equal(document, BsonCodec.Decode(BsonCodec.ToBytes(document)));
    }

    [Fact]
    public void Encode_DocumentThatContainsItself_IsRejectedNotAStackOverflow()
    {
        var document = new BsonDocument("a", 1);
        document.Add("self", document);

        var e = Assert.Throws<ArgumentException>(() => BsonCodec.ToBytes(document));

        Assert.StartsWith("The field 'self.self.self", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_IntoTinyBuffers_MatchesToBytes()
    {
        var big = new BsonDocument()
            .Add("ascii", new string('a', 300_000))
            .Add("multi", string.Concat(Enumerable.Repeat("é☆𝄞", 120_000)))
            .Add("binary", new BsonBinaryData(Enumerable.Range(0, 700_000).Select(i => (byte)i).ToArray()))
            .Add(new string('k', 5000), new BsonRegularExpression(new string('p', 5000), "imsx"))
            .Add("every", BsonSamples.EveryType());
        var expected = BsonCodec.ToBytes(big);

        foreach (var slack in new[] { 0, 1, 3, 7 })
        {
            var output = new StingyBufferWriter(slack);
            BsonCodec.Encode(big, output);
            Assert.Equal(expected, output.Written);
            Assert.True(output.SpansHandedOut > 1);
        }

        Assert.Equal(big, BsonCodec.Decode(expected));
        Assert.Equal(expected.Length, BsonCodec.GetEncodedSize(big));
    }

    [Fact]
    public void Encode_AppendsAfterWhatTheWriterHolds()
    {
        using var output = new PooledBufferWriter();
        output.Write([0xAB, 0xCD]);

        BsonCodec.Encode(new BsonDocument("a", 1), output);
        BsonCodec.Encode(new BsonDocument("b", 2), output);

        var first = BsonCodec.ToBytes(new BsonDocument("a", 1));
        var second = BsonCodec.ToBytes(new BsonDocument("b", 2));
        Assert.Equal([0xAB, 0xCD, .. first, .. second], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encode_RejectsNullArguments()
    {
        Assert.Throws<ArgumentNullException>(() => BsonCodec.ToBytes(null!));
        Assert.Throws<ArgumentNullException>(() => BsonCodec.Encode(new BsonDocument(), null!));
        Assert.Throws<ArgumentNullException>(() => BsonCodec.GetEncodedSize(null!));
    }

    [Fact]
    public void Encode_NumbersAreLittleEndianAndDoublesBitExact()
    {
        var nanWithPayload = BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234);
        var document = new BsonDocument("i", 0x01020304).Add("l", 0x0102030405060708L).Add("d", nanWithPayload).Add("z", -0.0);

        var bytes = BsonCodec.ToBytes(document);
        var hex = Convert.ToHexString(bytes);

        Assert.Contains("04030201", hex, StringComparison.Ordinal);
        Assert.Contains("0807060504030201", hex, StringComparison.Ordinal);
        Assert.Contains("341200000000F87F", hex, StringComparison.Ordinal);
        Assert.Contains("0000000000000080", hex, StringComparison.Ordinal);
        Assert.Equal(bytes, BsonCodec.ToBytes(BsonCodec.Decode(bytes)));
    }
}
