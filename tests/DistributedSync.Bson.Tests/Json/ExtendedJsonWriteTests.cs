using System.Buffers;
using System.Text;
using System.Text.Json;
using DistributedSync.Bson.Json;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>Exact output of the writer for every type, both modes, escaping, indentation and the byte-oriented overloads.</summary>
public sealed class ExtendedJsonWriteTests
{
    private static readonly ObjectId Oid = ObjectId.Parse("56e1fc72e0c917e9c4714161");

    /// <summary>Each value with its exact canonical and relaxed text, keyed so theory rows stay serializable.</summary>
    private static readonly Dictionary<string, (BsonValue Value, string Canonical, string Relaxed)> Cases = new()
    {
        ["int32 42"] = (42, "{\"$numberInt\":\"42\"}", "42"),
        ["int32 min"] = (int.MinValue, "{\"$numberInt\":\"-2147483648\"}", "-2147483648"),
        ["int64 42"] = (42L, "{\"$numberLong\":\"42\"}", "42"),
        ["int64 max"] = (long.MaxValue, "{\"$numberLong\":\"9223372036854775807\"}", "9223372036854775807"),
        ["double 1.0"] = (1.0, "{\"$numberDouble\":\"1.0\"}", "1.0"),
        ["double -0.0"] = (-0.0, "{\"$numberDouble\":\"-0.0\"}", "-0.0"),
        ["double 0.1"] = (0.1, "{\"$numberDouble\":\"0.1\"}", "0.1"),
        ["double 1e15"] = (1e15, "{\"$numberDouble\":\"1000000000000000.0\"}", "1000000000000000.0"),
        ["double 1e16"] = (1e16, "{\"$numberDouble\":\"10000000000000000.0\"}", "10000000000000000.0"),
        ["double 1e17"] = (1e17, "{\"$numberDouble\":\"1E+17\"}", "1E+17"),
        ["double 123456789012345"] = (123456789012345.0, "{\"$numberDouble\":\"123456789012345.0\"}", "123456789012345.0"),
        ["double 1e-5"] = (1e-5, "{\"$numberDouble\":\"1E-05\"}", "1E-05"),
        ["double epsilon"] = (double.Epsilon, "{\"$numberDouble\":\"5E-324\"}", "5E-324"),
        ["double max"] = (double.MaxValue, "{\"$numberDouble\":\"1.7976931348623157E+308\"}", "1.7976931348623157E+308"),
        ["double NaN"] = (double.NaN, "{\"$numberDouble\":\"NaN\"}", "{\"$numberDouble\":\"NaN\"}"),
        ["double -Infinity"] = (double.NegativeInfinity, "{\"$numberDouble\":\"-Infinity\"}", "{\"$numberDouble\":\"-Infinity\"}"),
        ["date -1ms"] = (new BsonDateTime(-1), "{\"$date\":{\"$numberLong\":\"-1\"}}", "{\"$date\":{\"$numberLong\":\"-1\"}}"),
        ["date epoch"] = (new BsonDateTime(0), "{\"$date\":{\"$numberLong\":\"0\"}}", "{\"$date\":\"1970-01-01T00:00:00Z\"}"),
        ["date 2012"] = (new BsonDateTime(1356351330001), "{\"$date\":{\"$numberLong\":\"1356351330001\"}}", "{\"$date\":\"2012-12-24T12:15:30.001Z\"}"),
        ["date 9999 last ms"] = (new BsonDateTime(253402300799999), "{\"$date\":{\"$numberLong\":\"253402300799999\"}}", "{\"$date\":\"9999-12-31T23:59:59.999Z\"}"),
        ["date Y10K"] = (new BsonDateTime(253402300800000), "{\"$date\":{\"$numberLong\":\"253402300800000\"}}", "{\"$date\":{\"$numberLong\":\"253402300800000\"}}"),
        ["date min"] = (new BsonDateTime(long.MinValue), "{\"$date\":{\"$numberLong\":\"-9223372036854775808\"}}", "{\"$date\":{\"$numberLong\":\"-9223372036854775808\"}}"),
        ["binary 0x8a"] = (new BsonBinaryData([0xFF, 0xFE], (BsonBinarySubtype)0x8A), "{\"$binary\":{\"base64\":\"//4=\",\"subType\":\"8a\"}}", "{\"$binary\":{\"base64\":\"//4=\",\"subType\":\"8a\"}}"),
        ["binary empty"] = (new BsonBinaryData([]), "{\"$binary\":{\"base64\":\"\",\"subType\":\"00\"}}", "{\"$binary\":{\"base64\":\"\",\"subType\":\"00\"}}"),
        ["regex"] = (new BsonRegularExpression("a\"b", "xmi"), "{\"$regularExpression\":{\"pattern\":\"a\\\"b\",\"options\":\"imx\"}}", "{\"$regularExpression\":{\"pattern\":\"a\\\"b\",\"options\":\"imx\"}}"),
        ["timestamp max"] = (new BsonTimestamp(uint.MaxValue, 1), "{\"$timestamp\":{\"t\":4294967295,\"i\":1}}", "{\"$timestamp\":{\"t\":4294967295,\"i\":1}}"),
        ["objectid"] = (new BsonObjectId(Oid), "{\"$oid\":\"56e1fc72e0c917e9c4714161\"}", "{\"$oid\":\"56e1fc72e0c917e9c4714161\"}"),
        ["symbol"] = (new BsonSymbol("s"), "{\"$symbol\":\"s\"}", "{\"$symbol\":\"s\"}"),
        ["code"] = (new BsonJavaScript("f()"), "{\"$code\":\"f()\"}", "{\"$code\":\"f()\"}"),
        ["code with scope"] = (new BsonJavaScriptWithScope("f()", new BsonDocument("x", 1)), "{\"$code\":\"f()\",\"$scope\":{\"x\":{\"$numberInt\":\"1\"}}}", "{\"$code\":\"f()\",\"$scope\":{\"x\":1}}"),
        ["dbpointer"] = (new BsonDbPointer("db.c", Oid), "{\"$dbPointer\":{\"$ref\":\"db.c\",\"$id\":{\"$oid\":\"56e1fc72e0c917e9c4714161\"}}}", "{\"$dbPointer\":{\"$ref\":\"db.c\",\"$id\":{\"$oid\":\"56e1fc72e0c917e9c4714161\"}}}"),
        ["minkey"] = (BsonMinKey.Value, "{\"$minKey\":1}", "{\"$minKey\":1}"),
        ["maxkey"] = (BsonMaxKey.Value, "{\"$maxKey\":1}", "{\"$maxKey\":1}"),
        ["undefined"] = (BsonUndefined.Value, "{\"$undefined\":true}", "{\"$undefined\":true}"),
        ["null"] = (BsonNull.Value, "null", "null"),
        ["boolean"] = (true, "true", "true"),
        ["empty array"] = (new BsonArray(), "[]", "[]"),
        ["empty document"] = (new BsonDocument(), "{}", "{}"),
        ["array"] = (new BsonArray([1, "x"]), "[{\"$numberInt\":\"1\"},\"x\"]", "[1,\"x\"]"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_ProducesTheSpecifiedText(string name)
    {
        var (value, canonical, relaxed) = Cases[name];
        Assert.Equal(canonical, ExtendedJson.Write(value, ExtendedJsonMode.Canonical));
        Assert.Equal(relaxed, ExtendedJson.Write(value, ExtendedJsonMode.Relaxed));
        Assert.Equal(relaxed, ExtendedJson.Write(value));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_Canonical_ParsesBackToAnEqualValue(string name)
    {
        var (value, canonical, _) = Cases[name];
        Assert.Equal(value, ExtendedJson.ParseValue(canonical));
    }

    [Fact]
    public void Write_EscapesOnlyWhatJsonRequires()
    {
        var value = new BsonString("q\"b\\s/\u0001\b\f\n\r\t\u001f\u007fé☆\U0001F600\u2028");
        Assert.Equal("\"q\\\"b\\\\s/\\u0001\\b\\f\\n\\r\\t\\u001f\u007fé☆\U0001F600\u2028\"", ExtendedJson.Write(value));
    }

    [Fact]
    public void Write_UnpairedSurrogate_IsEscaped()
    {
        Assert.Equal("\"a\\ud800b\\udc00\"", ExtendedJson.Write(new BsonString("a\uD800b\uDC00")));
        Assert.Equal("{\"k\\ud800\":1}", ExtendedJson.Write(new BsonDocument("k\uD800", 1)));
    }

    [Fact]
    public void Write_KeepsFieldOrder()
    {
        var document = new BsonDocument { { "z", 1 }, { "a", 2 }, { "", 3 } };
        Assert.Equal("{\"z\":1,\"a\":2,\"\":3}", ExtendedJson.Write(document));
    }

    [Fact]
    public void Write_Indented_PutsEveryMemberOnItsOwnLine()
    {
        var document = new BsonDocument
        {
            { "a", 1 },
            { "b", new BsonArray([1, new BsonDocument("c", true)]) },
            { "e", new BsonDocument() },
            { "f", new BsonArray() },
        };
        var options = new ExtendedJsonWriterOptions { Indented = true };
        const string expected = "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {\n      \"c\": true\n    }\n  ],\n  \"e\": {},\n  \"f\": []\n}";
        Assert.Equal(expected, ExtendedJson.Write(document, options));
        Assert.Equal(expected.Replace("  ", "    ", StringComparison.Ordinal), ExtendedJson.Write(document, options with { IndentSize = 4 }));
        Assert.Equal(document, ExtendedJson.Parse(ExtendedJson.Write(document, options with { Mode = ExtendedJsonMode.Canonical })));
    }

    [Fact]
    public void Write_Utf8Overloads_MatchTheStringOutput()
    {
        var document = new BsonDocument { { "é", "☆\U0001F600" }, { "n", 1.5 }, { "big", new string('x', 10_000) + "é" } };
        var buffer = new ArrayBufferWriter<byte>();
        ExtendedJson.Write(document, buffer, ExtendedJsonMode.Canonical);
        Assert.Equal(Encoding.UTF8.GetBytes(ExtendedJson.Write(document, ExtendedJsonMode.Canonical)), buffer.WrittenSpan.ToArray());

        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("doc");
            ExtendedJson.Write(document, writer);
            writer.WriteEndObject();
        }

        Assert.Equal("{\"doc\":" + ExtendedJson.Write(document) + "}", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void ToString_IsRelaxedExtendedJson()
    {
        var document = new BsonDocument { { "n", 1L }, { "d", new BsonDateTime(0) } };
        Assert.Equal("{\"n\":1,\"d\":{\"$date\":\"1970-01-01T00:00:00Z\"}}", document.ToString());
    }

    [Fact]
    public void Write_AbsurdlyDeepValue_FailsCleanlyInsteadOfOverflowingTheStack()
    {
        BsonValue value = new BsonDocument();
        for (var i = 0; i < 1_000_000; i++)
        {
            value = new BsonDocument("a", value);
        }

        Assert.Throws<InsufficientExecutionStackException>(() => ExtendedJson.Write(value));
    }
}
