using System.Text;
using DistributedSync.Bson.Json;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>Malformed JSON text: every problem is a <see cref="BsonFormatException"/> at the right offset with a precise reason.</summary>
public sealed class ExtendedJsonMalformedTests
{
    /// <summary>Input text, the expected character offset, and a fragment of the expected reason.</summary>
    public static TheoryData<string, int, string> MalformedDocuments() => new()
    {
        { "", 0, "Expected a JSON object" },
        { "   ", 3, "Expected a JSON object" },
        { "[1]", 0, "Expected a JSON object" },
        { "{\"a\": \"abc}", 11, "Unterminated string" },
        { "{\"a\": \"abc\\", 11, "ends inside an escape" },
        { "{\"a\": \"a\\qb\"}", 8, "Invalid escape sequence '\\q'" },
        { "{\"a\": \"\\u12G4\"}", 7, "four hexadecimal digits" },
        { "{\"a\": \"\\uD800\"}", 7, "high surrogate that is not followed" },
        { "{\"a\": \"\\uD800x\"}", 7, "high surrogate that is not followed" },
        { "{\"a\": \"\\uD800\\u0041\"}", 13, "not a low surrogate" },
        { "{\"a\": \"\\uDC00\"}", 7, "low surrogate without a preceding high surrogate" },
        { "{\"a\": \"tab\there\"}", 10, "Control character U+0009" },
        { "{\"a\": 1} x", 9, "after the end of the JSON value" },
        { "{\"a\": 1}}", 8, "after the end of the JSON value" },
        { "{\"a\": 1,}", 8, "trailing comma" },
        { "{\"a\": [1,]}", 9, "trailing comma" },
        { "{\"a\" 1}", 5, "Expected ':'" },
        { "{\"a\": 1 \"b\": 2}", 8, "Expected ',' or '}'" },
        { "{\"a\": [1 2]}", 9, "Expected ',' or ']'" },
        { "{a: 1}", 1, "Expected a string key" },
        { "{'a': 1}", 1, "Expected a string key" },
        { "{\"a\": 'x'}", 6, "Expected a JSON value" },
        { "{\"a\": 01}", 7, "leading zeros" },
        { "{\"a\": -}", 7, "Expected a digit after '-'" },
        { "{\"a\": 1.}", 8, "after the decimal point" },
        { "{\"a\": 1e}", 8, "in the exponent" },
        { "{\"a\": .5}", 6, "Expected a JSON value" },
        { "{\"a\": +1}", 6, "Expected a JSON value" },
        { "{\"a\": NaN}", 6, "no NaN or Infinity literals" },
        { "{\"a\": Infinity}", 6, "no NaN or Infinity literals" },
        { "{\"a\": tru}", 9, "expected 'true'" },
        { "{\"a\": nul}", 9, "expected 'null'" },
        { "{\"a\": True}", 6, "Expected a JSON value" },
        { "{\"a\": 1 /* c */}", 8, "Expected ',' or '}'" },
        { "{\"a\": {\"b\": 1}", 14, "Expected ',' or '}'" },
        { "{\"a\\u0000\": 1}", 1, "NUL character" },
        { "{\"a\": {\"b\\u0000\": 1}}", 7, "NUL character" },
        { "{\"a\u0000\": 1}", 3, "Control character U+0000" },
        { "{\"a\": {\"$oid\": \"abc\"}}", 15, "24 hexadecimal digits" },
        { "{\"a\": {\"$numberInt\": \"2147483648\"}}", 21, "$numberInt" },
        { "{\"a\": {\"$numberInt\": \"1.0\"}}", 21, "$numberInt" },
        { "{\"a\": {\"$numberLong\": \"9223372036854775808\"}}", 22, "$numberLong" },
        { "{\"a\": {\"$numberDouble\": \"1,5\"}}", 24, "$numberDouble" },
        { "{\"a\": {\"$numberDouble\": \"inf\"}}", 24, "$numberDouble" },
        { "{\"a\": {\"$oid\": \"56e1fc72e0c917e9c4714161\", \"b\": 1}}", 43, "Unexpected key 'b'" },
        { "{\"a\": {\"$symbol\": \"x\", \"$symbol\": \"y\"}}", 23, "Duplicate key '$symbol'" },
        { "{\"a\": {\"$scope\": {}}}", 6, "needs a '$code'" },
        { "{\"a\": {\"$binary\": {\"base64\": \"AAA\", \"subType\": \"00\"}}}", 29, "padding" },
        { "{\"a\": {\"$binary\": {\"base64\": \"AA==\", \"subType\": \"100\"}}}", 48, "subType" },
        { "{\"a\": {\"$binary\": {\"base64\": \"AA==\", \"subType\": \"zz\"}}}", 48, "subType" },
        { "{\"a\": {\"$binary\": \"AA==\"}}", 7, "needs a '$type'" },
        { "{\"a\": {\"$timestamp\": {\"t\": -1, \"i\": 0}}}", 27, "from 0 to 4294967295" },
        { "{\"a\": {\"$timestamp\": {\"t\": 4294967296, \"i\": 0}}}", 27, "from 0 to 4294967295" },
        { "{\"a\": {\"$timestamp\": {\"t\": 1.0, \"i\": 0}}}", 27, "from 0 to 4294967295" },
        { "{\"a\": {\"$timestamp\": {\"t\": 1, \"t\": 2, \"i\": 0}}}", 30, "Duplicate key 't'" },
        { "{\"a\": {\"$date\": \"2012-13-01T00:00:00Z\"}}", 16, "out of range" },
        { "{\"a\": {\"$date\": \"2012-12-01\"}}", 16, "RFC 3339" },
        { "{\"a\": {\"$date\": \"2012-12-01T00:00:00\"}}", 16, "UTC offset" },
        { "{\"a\": {\"$date\": {\"$numberInt\": \"1\"}}}", 16, "$numberLong" },
        { "{\"a\": {\"$date\": 1.5}}", 16, "not a number" },
        { "{\"a\": {\"$undefined\": false}}", 21, "literal true" },
        { "{\"a\": {\"$minKey\": {\"$numberInt\": \"1\"}}}", 18, "JSON number 1" },
        { "{\"a\": {\"$dbPointer\": {\"$ref\": \"b\", \"$id\": \"56e1fc72e0c917e9c4714161\"}}}", 42, "ObjectId wrapper" },
        { "{\"a\": {\"$regex\": \"a\\u0000\", \"$options\": \"\"}}", 17, "NUL character" },
        { "{\"a\": {\"$uuid\": \"73ffd26444b34c6990e8e7d1dfc035d\"}}", 16, "$uuid" },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Parse_Malformed_ThrowsAtOffsetWithReason(string json, int offset, string reason)
    {
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
        Assert.Contains(reason, e.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(offset, e.Offset);
    }

    /// <summary>Raw unpaired surrogates in the input (kept out of theory data: runners may not transport them intact).</summary>
    [Fact]
    public void Parse_UnpairedSurrogateInTheText_IsRejected()
    {
        var high = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse("{\"a\": \"x\uD800y\"}"));
        Assert.Equal(8, high.Offset);
        Assert.Contains("Unpaired surrogate U+D800", high.Reason, StringComparison.Ordinal);

        var low = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse("{\"a\uDC00\": 1}"));
        Assert.Equal(3, low.Offset);
        Assert.Contains("Unpaired surrogate U+DC00", low.Reason, StringComparison.Ordinal);

        var reversed = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse("{\"a\": \"\uDC00\uD800\"}"));
        Assert.Equal(7, reversed.Offset);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("1 2", 2)]
    [InlineData("[1, 2", 5)]
    [InlineData("\"abc", 4)]
    [InlineData("{\"$oid\": 5}", 9)]
    public void ParseValue_Malformed_ThrowsAtOffset(string json, int offset)
    {
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue(json));
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_IsAFormatErrorNotAStackOverflow()
    {
        var depth = 100_000;
        var json = "{\"a\":" + new string('[', depth) + new string(']', depth) + "}";
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(json));
        Assert.Contains("deeper than the limit of 256", e.Reason, StringComparison.Ordinal);
        Assert.Equal(5 + 255, e.Offset);
    }

    [Fact]
    public void Parse_NestingAtTheConfiguredLimit_IsAccepted_AndOneMoreIsNot()
    {
        var options = new ExtendedJsonReaderOptions { MaxDepth = 300 };
        string Nested(int levels) => new string('[', levels - 1) + new string(']', levels - 1);

        var ok = ExtendedJson.Parse("{\"a\":" + Nested(300) + "}", options);
        Assert.Equal(BsonType.Array, ok["a"].Type);
        Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse("{\"a\":" + Nested(301) + "}", options));
    }

    [Fact]
    public void Parse_Utf8_InvalidBytes_ReportTheByteOffset()
    {
        byte[] bytes = [.. "{\"a\": \"é"u8, 0xFF, .. "\"}"u8];
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(bytes));
        Assert.Equal(9, e.Offset);
        Assert.Contains("UTF-8", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf8_SyntaxErrorAfterMultibyteText_ReportsTheByteOffset()
    {
        // "é☆" is 2 characters but 5 bytes; the stray 'x' is character 12, byte 15.
        var bytes = Encoding.UTF8.GetBytes("{\"a\": \"é☆\", x}");
        var e = Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(bytes));
        Assert.Equal(15, e.Offset);

        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray();
        Assert.Equal(18, Assert.Throws<BsonFormatException>(() => ExtendedJson.Parse(withBom)).Offset);
    }

    [Fact]
    public void TryParse_ReportsTheErrorInsteadOfThrowing()
    {
        Assert.False(ExtendedJson.TryParse("{\"a\": }", out var document, out var error));
        Assert.Null(document);
        Assert.Equal(6, error!.Offset);

        Assert.True(ExtendedJson.TryParse("{\"a\": 1}", out document, out error));
        Assert.Null(error);
        Assert.Equal(1, document["a"].AsInt32);
    }
}
