using Xunit;

namespace DistributedSync.Bson.Tests.Interop;

/// <summary>The cross-check's own helpers must see the differences they exist to report.</summary>
public sealed class InteropHelperTests
{
    [Theory]
    [InlineData("""{"a":{"$numberInt":"1"},"b":"x"}""", """{ "a" : { "$numberInt" : "1" }, "b" : "\u0078" }""")]
    [InlineData("""{"d":{"$numberDouble":"1.0E+21"}}""", """{"d":{"$numberDouble":"1e+21"}}""")]
    [InlineData("""{"d":{"$numberDouble":"-0.0"}}""", """{"d":{"$numberDouble":"-0"}}""")]
    [InlineData("""{"b":{"$binary":{"base64":"AA==","subType":"4"}}}""", """{"b":{"$binary":{"base64":"AA==","subType":"04"}}}""")]
    [InlineData("""{"m":{"$minKey":1}}""", """{"m":{"$minKey":1.0}}""")]
    public void ExtendedJsonComparer_AcceptsSpellingsTheSpecificationAllows(string expected, string actual)
        => Assert.Null(ExtendedJsonComparer.Difference(expected, actual));

    [Theory]
    [InlineData("""{"a":1,"b":2}""", """{"b":2,"a":1}""", "member 0")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "absent")]
    [InlineData("""{"a":{"$numberInt":"1"}}""", """{"a":{"$numberLong":"1"}}""", "member 0")]
    [InlineData("""{"d":{"$numberDouble":"0.0"}}""", """{"d":{"$numberDouble":"-0.0"}}""", "$numberDouble")]
    [InlineData("""{"d":{"$numberDouble":"NaN"}}""", """{"d":{"$numberDouble":"Infinity"}}""", "$numberDouble")]
    [InlineData("""{"x":{"$numberDecimal":"1.0"}}""", """{"x":{"$numberDecimal":"1.00"}}""", "$numberDecimal")]
    [InlineData("""{"s":"a"}""", """{"s":"A"}""", "$.\"s\"")]
    [InlineData("""{"l":[1,2]}""", """{"l":[1,2,3]}""", "array of 2 vs 3")]
    [InlineData("""{"l":[1,{"k":true}]}""", """{"l":[1,{"k":false}]}""", "$.\"l\"[1]")]
    [InlineData("""{"u":{"$undefined":true}}""", """{"u":null}""", "$.\"u\"")]
    public void ExtendedJsonComparer_ReportsWhereTheTextsDiffer(string expected, string actual, string mentioned)
    {
        var difference = ExtendedJsonComparer.Difference(expected, actual);
        Assert.NotNull(difference);
        Assert.Contains(mentioned, difference, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeDifference_NamesTheDocumentAndTheHexOffset()
    {
        byte[] expected = [0x0C, 0, 0, 0, 0x10, 0x61, 0, 1, 0, 0, 0, 0];
        byte[] actual = [0x0C, 0, 0, 0, 0x10, 0x61, 0, 2, 0, 0, 0, 0];

        var text = BsonStream.DescribeDifference(41, "ours", expected, "js-bson", actual);

        Assert.Equal(7, BsonStream.FirstDifference(expected, actual));
        Assert.Contains("document 41", text, StringComparison.Ordinal);
        Assert.Contains("offset 0x7 ", text, StringComparison.Ordinal);
        Assert.Contains("61 00 [01] 00", text, StringComparison.Ordinal);
        Assert.Contains("61 00 [02] 00", text, StringComparison.Ordinal);
        Assert.Equal(-1, BsonStream.FirstDifference(expected, expected));
        Assert.Equal(12, BsonStream.FirstDifference(expected, [.. expected, 0]));
    }

    [Fact]
    public void Split_ReturnsEachDocumentOfAStream_AndRejectsATruncatedOne()
    {
        byte[] stream = [5, 0, 0, 0, 0, 8, 0, 0, 0, 0x0A, 0x78, 0, 0];

        var documents = BsonStream.Split(stream);

        Assert.Equal([5, 8], documents.Select(d => d.Length));
        Assert.Throws<InvalidDataException>(() => BsonStream.Split(stream.AsMemory(0, 12)));
    }
}
