using DistributedSync.Bson.Json;
using Xunit;

namespace DistributedSync.Bson.Tests.Json;

/// <summary>What well-formed text parses to: number typing, key order, wrappers, legacy forms and non-wrappers.</summary>
public sealed class ExtendedJsonParseTests
{
    [Theory]
    [InlineData("0", BsonType.Int32)]
    [InlineData("-0", BsonType.Int32)]
    [InlineData("2147483647", BsonType.Int32)]
    [InlineData("-2147483648", BsonType.Int32)]
    [InlineData("2147483648", BsonType.Int64)]
    [InlineData("-2147483649", BsonType.Int64)]
    [InlineData("9223372036854775807", BsonType.Int64)]
    [InlineData("-9223372036854775808", BsonType.Int64)]
    [InlineData("9223372036854775808", BsonType.Double)]
    [InlineData("1.0", BsonType.Double)]
    [InlineData("1e2", BsonType.Double)]
    [InlineData("-0.0", BsonType.Double)]
    public void PlainNumbers_GetTheSmallestExactType(string number, BsonType expected)
    {
        var value = ExtendedJson.ParseValue(number);
        Assert.Equal(expected, value.Type);
        Assert.Equal(double.Parse(number, System.Globalization.CultureInfo.InvariantCulture), value.ToDouble());
    }

    [Fact]
    public void NegativeZeroDouble_KeepsItsSign()
    {
        Assert.True(double.IsNegative(ExtendedJson.ParseValue("-0.0").AsDouble));
        Assert.True(double.IsNegative(ExtendedJson.ParseValue("{\"$numberDouble\": \"-0.0\"}").AsDouble));
    }

    [Fact]
    public void Parse_KeepsKeyOrder_AndDuplicateKeysInOrder()
    {
        var document = ExtendedJson.Parse("{\"z\": 1, \"a\": 2, \"m\": 3, \"a\": 4}");
        Assert.Equal(new[] { "z", "a", "m", "a" }, document.Names);
        Assert.Equal(2, document["a"].AsInt32);
        Assert.Equal(4, document[3].Value.AsInt32);
    }

    [Fact]
    public void Parse_DecodesEscapesAndSurrogatePairs()
    {
        var document = ExtendedJson.Parse("{\"k\\u00e9\\n\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uD83D\\uDE00 😀\"}");
        Assert.Equal("\"\\/\b\f\n\r\t\0\U0001F600 \U0001F600", document["ké\n"].AsString);
    }

    [Fact]
    public void TopLevelDocument_IsNeverAWrapper_ButAValueIs()
    {
        const string json = "{\"$oid\": \"56e1fc72e0c917e9c4714161\"}";
        var document = ExtendedJson.Parse(json);
        Assert.Equal("56e1fc72e0c917e9c4714161", document["$oid"].AsString);
        Assert.Equal(ObjectId.Parse("56e1fc72e0c917e9c4714161"), ExtendedJson.ParseValue(json).AsObjectId);
    }

    [Theory]
    [InlineData("{\"$ref\": \"c\", \"$id\": 1}")]
    [InlineData("{\"$ref\": \"c\", \"$id\": 1, \"$db\": \"d\", \"x\": 2}")]
    [InlineData("{\"$type\": \"string\"}")]
    [InlineData("{\"$type\": 2}")]
    [InlineData("{\"$regex\": {\"$regularExpression\": {\"pattern\": \"p\", \"options\": \"\"}}, \"$options\": \"i\"}")]
    [InlineData("{\"$regex\": \"p\", \"$options\": \"i\", \"$nin\": []}")]
    [InlineData("{\"$gt\": 5, \"$lt\": 10}")]
    [InlineData("{\"$options\": \"i\"}")]
    public void DollarKeysThatFormNoWrapper_StayDocuments(string inner)
    {
        var value = ExtendedJson.ParseValue(inner);
        Assert.Equal(BsonType.Document, value.Type);
        Assert.Equal(ExtendedJson.Parse(inner), value);
    }

    [Fact]
    public void WrapperKeyOrder_DoesNotMatter()
    {
        var a = ExtendedJson.ParseValue("{\"$code\": \"f()\", \"$scope\": {\"x\": 1}}");
        var b = ExtendedJson.ParseValue("{\"$scope\": {\"x\": 1}, \"$code\": \"f()\"}");
        Assert.Equal(new BsonJavaScriptWithScope("f()", new BsonDocument("x", 1)), a);
        Assert.Equal(a, b);
        Assert.Equal(ExtendedJson.ParseValue("{\"$timestamp\": {\"t\": 1, \"i\": 2}}"), ExtendedJson.ParseValue("{\"$timestamp\": {\"i\": 2, \"t\": 1}}"));
    }

    [Fact]
    public void LegacyRegexAndBinary_AreAcceptedByDefault_AndCanBeTurnedOff()
    {
        Assert.Equal(new BsonRegularExpression("^a", "xi"), ExtendedJson.ParseValue("{\"$regex\": \"^a\", \"$options\": \"xi\"}"));
        Assert.Equal(new BsonRegularExpression("^a"), ExtendedJson.ParseValue("{\"$regex\": \"^a\"}"));
        Assert.Equal(new BsonBinaryData([1, 2, 3], BsonBinarySubtype.UserDefined), ExtendedJson.ParseValue("{\"$binary\": \"AQID\", \"$type\": \"80\"}"));
        Assert.Equal(new BsonBinaryData([1, 2, 3], BsonBinarySubtype.Md5), ExtendedJson.ParseValue("{\"$type\": \"5\", \"$binary\": \"AQID\"}"));

        var strict = new ExtendedJsonReaderOptions { AllowLegacyWrappers = false };
        Assert.Equal(BsonType.Document, ExtendedJson.ParseValue("{\"$regex\": \"^a\", \"$options\": \"i\"}", strict).Type);
        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue("{\"$binary\": \"AQID\", \"$type\": \"80\"}", strict));
    }

    [Theory]
    [InlineData("\"1970-01-01T00:00:00Z\"", 0L)]
    [InlineData("\"1970-01-01T00:00:00.000Z\"", 0L)]
    [InlineData("\"2012-12-24T12:15:30.501Z\"", 1356351330501L)]
    [InlineData("\"2012-12-24t12:15:30.5z\"", 1356351330500L)]
    [InlineData("\"2012-12-24T12:15:30.5019999Z\"", 1356351330501L)]
    [InlineData("\"2012-12-24T13:15:30.501+01:00\"", 1356351330501L)]
    [InlineData("\"2012-12-24T07:15:30.501-0500\"", 1356351330501L)]
    [InlineData("\"1960-02-29T00:00:00Z\"", -310521600000L)]
    [InlineData("\"9999-12-31T23:59:59.999Z\"", 253402300799999L)]
    [InlineData("{\"$numberLong\": \"-62135596800001\"}", -62135596800001L)]
    public void Date_AcceptsIsoStringsAndNumberLong(string dateValue, long expected)
    {
        var value = ExtendedJson.ParseValue("{\"$date\": " + dateValue + "}");
        Assert.Equal(new BsonDateTime(expected), value);
    }

    [Fact]
    public void Date_AsBareNumber_IsLegacyAndOnlyAcceptedWhenEnabled()
    {
        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue("{\"$date\": 42}"));
        var legacy = new ExtendedJsonReaderOptions { AllowNumericDates = true };
        Assert.Equal(new BsonDateTime(42), ExtendedJson.ParseValue("{\"$date\": 42}", legacy));
        Assert.Equal(new BsonDateTime(-5_000_000_000_000), ExtendedJson.ParseValue("{\"$date\": -5000000000000}", legacy));
        Assert.Throws<BsonFormatException>(() => ExtendedJson.ParseValue("{\"$date\": 4.5}", legacy));
    }

    [Theory]
    [InlineData("73ffd264-44b3-4c69-90e8-e7d1dfc035d4")]
    [InlineData("73FFD26444B34C6990E8E7D1DFC035D4")]
    public void Uuid_WithOrWithoutHyphens_IsBinarySubtype4(string text)
    {
        var value = (BsonBinaryData)ExtendedJson.ParseValue("{\"$uuid\": \"" + text + "\"}");
        Assert.Equal(BsonBinarySubtype.Uuid, value.Subtype);
        Assert.Equal(Guid.Parse("73ffd264-44b3-4c69-90e8-e7d1dfc035d4"), value.ToGuid());
    }

    [Theory]
    [InlineData("{\"$numberDouble\": \"1\"}", 1.0)]
    [InlineData("{\"$numberDouble\": \".5\"}", 0.5)]
    [InlineData("{\"$numberDouble\": \"+2.5e-3\"}", 0.0025)]
    [InlineData("{\"$numberDouble\": \"1E+308\"}", 1e308)]
    [InlineData("{\"$numberDouble\": \"-Infinity\"}", double.NegativeInfinity)]
    public void NumberDouble_AcceptsDecimalSpellings(string json, double expected)
        => Assert.Equal(expected, ExtendedJson.ParseValue(json).AsDouble);

    [Fact]
    public void ParseValue_AcceptsEveryKindOfTopLevelValue()
    {
        Assert.Equal(new BsonArray([1, "a", BsonNull.Value, true]), ExtendedJson.ParseValue(" [1, \"a\", null, true] "));
        Assert.Equal(new BsonString("x"), ExtendedJson.ParseValue("\"x\""));
        Assert.Equal(BsonBoolean.False, ExtendedJson.ParseValue("false"));
        Assert.Equal(BsonNull.Value, ExtendedJson.ParseValue("\r\n\tnull"));
        Assert.Equal(new BsonInt64(5), ExtendedJson.ParseValue("{\"$numberLong\": \"5\"}"u8));
    }

    [Fact]
    public void Wrappers_InsideArraysAndScopes_AreInterpreted()
    {
        var document = ExtendedJson.Parse("{\"a\": [{\"$numberLong\": \"1\"}, {\"$minKey\": 1}], \"c\": {\"$code\": \"\", \"$scope\": {\"d\": {\"$date\": {\"$numberLong\": \"7\"}}}}}");
        Assert.Equal(new BsonArray([new BsonInt64(1), BsonMinKey.Value]), document["a"]);
        Assert.Equal(new BsonDateTime(7), ((BsonJavaScriptWithScope)document["c"]).Scope["d"]);
    }
}
