using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Update;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>$set, $unset, $inc, $mul, $min, $max, $rename, $currentDate and the update parser's errors.</summary>
public sealed class UpdateFieldOperatorTests
{
    /// <summary>Applies an update to a document and returns (result, changed).</summary>
    internal static (BsonDocument Doc, bool Changed) Run(string update, string doc, UpdateContext? context = null)
    {
        var d = D(doc);
        var changed = UpdateSpec.Compile(D(update)).Apply(d, context);
        return (d, changed);
    }

    internal static void Check(string update, string doc, string expected, bool changed = true)
    {
        var (result, wasChanged) = Run(update, doc);
        Same(expected, result);
        Assert.Equal(changed, wasChanged);
    }

    [Fact]
    public void Set_TopLevelAndEmbeddedValues()
        => Check(
            """{"$set": {"quantity": 500, "details": {"model": "2600", "make": "Fashionaires"}, "tags": ["coats", "outerwear", "clothing"]}}""",
            """{"_id": 100, "quantity": 250, "instock": true, "details": {"model": "14QQ", "make": "Clothes Corp"}, "tags": ["apparel", "clothing"]}""",
            """{"_id": 100, "quantity": 500, "instock": true, "details": {"model": "2600", "make": "Fashionaires"}, "tags": ["coats", "outerwear", "clothing"]}""");

    [Fact]
    public void Set_DottedPaths_IntoDocumentsAndArrayElements()
        => Check(
            """{"$set": {"details.make": "Kustom Kidz", "tags.1": "rain gear", "ratings.0.rating": 2}}""",
            """{"_id": 100, "details": {"model": "2600"}, "tags": ["coats", "outerwear"], "ratings": [{"by": "Customer007", "rating": 4}]}""",
            """{"_id": 100, "details": {"model": "2600", "make": "Kustom Kidz"}, "tags": ["coats", "rain gear"], "ratings": [{"by": "Customer007", "rating": 2}]}""");

    [Fact]
    public void Set_CreatesMissingEmbeddedDocuments()
        => Check("""{"$set": {"a.b.c": 1, "a.b.d": 2, "a.e": 3}}""", """{"_id": 1}""", """{"_id": 1, "a": {"b": {"c": 1, "d": 2}, "e": 3}}""");

    [Fact]
    public void Set_NewFields_AreAppendedInLexicographicOrder()
        => Check("""{"$set": {"z": 1, "b": 2, "a": 3}}""", """{"_id": 1, "m": 0}""", """{"_id": 1, "m": 0, "a": 3, "b": 2, "z": 1}""");

    [Fact]
    public void Set_NumericFieldNames_AreProcessedInNumericOrder()
        => Check("""{"$set": {"b.10": 1, "b.9": 2}}""", """{"_id": 1}""", """{"_id": 1, "b": {"9": 2, "10": 1}}""");

    [Fact]
    public void Set_BeyondTheEndOfAnArray_PadsWithNulls()
        => Check("""{"$set": {"a.3": "x", "a.5.b": 1}}""", """{"_id": 1, "a": [0]}""", """{"_id": 1, "a": [0, null, null, "x", null, {"b": 1}]}""");

    [Fact]
    public void Set_SameValueAndType_IsANoOp_ButAnotherNumericTypeIsAChange()
    {
        Check("""{"$set": {"a": 1, "b.c": "x"}}""", """{"_id": 1, "a": 1, "b": {"c": "x"}}""", """{"_id": 1, "a": 1, "b": {"c": "x"}}""", changed: false);
        Check("""{"$set": {"a": 1.0}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "a": 1.0}""");
    }

    [Fact]
    public void Set_ThroughAScalarOrByNameIntoAnArray_IsPathNotViable()
    {
        var e = Error(() => Run("""{"$set": {"a.b": 1}}""", """{"_id": 1, "a": 5}"""));
        Assert.Equal(28, e.Code);
        Assert.Equal("PathNotViable", e.CodeName);
        Assert.Equal("Cannot create field 'b' in element {a: 5}", e.Message);
        Assert.Equal("Cannot create field 'b' in element {a: [ 1, 2 ]}", Error(() => Run("""{"$set": {"a.b": 1}}""", """{"_id": 1, "a": [1, 2]}""")).Message);
        Assert.Equal("Cannot create field 'b' in element {a: 5}", Error(() => Run("""{"$set": {"a.b.c": 1}}""", """{"_id": 1, "a": 5}""")).Message);
    }

    [Fact]
    public void Set_ChangingId_IsImmutableField_ButSettingTheSameIdIsFine()
    {
        var e = Error(() => Run("""{"$set": {"_id": 2}}""", """{"_id": 1}"""));
        Assert.Equal(66, e.Code);
        Assert.Equal("ImmutableField", e.CodeName);
        Assert.Equal("Performing an update on the path '_id' would modify the immutable field '_id'", e.Message);
        Check("""{"$set": {"_id": 1, "a": 2}}""", """{"_id": 1}""", """{"_id": 1, "a": 2}""");
        Assert.Equal(66, Error(() => Run("""{"$unset": {"_id": 1}}""", """{"_id": 1}""")).Code);
        Assert.Equal(66, Error(() => Run("""{"$set": {"_id.x": 1}}""", """{"_id": {"y": 1}}""")).Code);
    }

    [Fact]
    public void EmptyOperatorDocuments_AreAllowedNoOps()
        => Check("""{"$set": {}, "$unset": {}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "a": 1}""", changed: false);

    [Theory]
    [InlineData("""{"$set": {"a": 1}, "$inc": {"a": 1}}""", "Updating the path 'a' would create a conflict at 'a'")]
    [InlineData("""{"$set": {"a": 1, "a.b": 1}}""", "Updating the path 'a.b' would create a conflict at 'a'")]
    [InlineData("""{"$set": {"a.b": 1}, "$unset": {"a": 1}}""", "Updating the path 'a' would create a conflict at 'a'")]
    [InlineData("""{"$rename": {"a": "b"}, "$set": {"b": 1}}""", "Updating the path 'b' would create a conflict at 'b'")]
    [InlineData("""{"$rename": {"a": "b"}, "$set": {"a.c": 1}}""", "Updating the path 'a.c' would create a conflict at 'a'")]
    public void OverlappingPaths_AreConflictingUpdateOperators(string update, string message)
    {
        var e = Error(() => UpdateSpec.Compile(D(update)));
        Assert.Equal(40, e.Code);
        Assert.Equal("ConflictingUpdateOperators", e.CodeName);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("""{"$foo": {"a": 1}}""", 9, "Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update specified as an array")]
    [InlineData("""{"$set": {"a": 1}, "b": 2}""", 9, "Unknown modifier: b. Expected a valid update modifier or pipeline-style update specified as an array")]
    [InlineData("""{"$set": 1}""", 9, "Modifiers operate on fields but we found type int instead. For example: {$mod: {<field>: ...}} not {$set: 1}")]
    [InlineData("""{"$set": {"": 1}}""", 56, "An empty update path is not valid.")]
    [InlineData("""{"$set": {"a..b": 1}}""", 56, "The update path 'a..b' contains an empty field name, which is not allowed.")]
    [InlineData("""{"b": 2, "$set": {"a": 1}}""", 52, "The dollar ($) prefixed field '$set' in '$set' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.")]
    [InlineData("""{"$set": {"$.a": 1}}""", 2, "Cannot have positional (i.e. '$') element in the first position in path '$.a'")]
    [InlineData("""{"$set": {"a.$.b.$": 1}}""", 2, "Too many positional (i.e. '$') elements found in path 'a.$.b.$'")]
    public void MalformedUpdates(string update, int code, string message)
    {
        var e = Error(() => UpdateSpec.Compile(D(update)));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Unset_RemovesFields_AndNullsArrayElements()
    {
        Check("""{"$unset": {"quantity": "", "instock": ""}}""", """{"_id": 1, "sku": "abc", "quantity": 10, "instock": true}""", """{"_id": 1, "sku": "abc"}""");
        Check("""{"$unset": {"a.1": 1, "b.c": 1}}""", """{"_id": 1, "a": [1, 2, 3], "b": {"c": 1, "d": 2}}""", """{"_id": 1, "a": [1, null, 3], "b": {"d": 2}}""");
        Check("""{"$unset": {"x": 1, "a.b.c": 1}}""", """{"_id": 1, "a": 5}""", """{"_id": 1, "a": 5}""", changed: false);
    }

    [Fact]
    public void Inc_AddsAndCreates()
        => Check(
            """{"$inc": {"quantity": -2, "metrics.orders": 1, "metrics.returns": 1}}""",
            """{"_id": 1, "quantity": 10, "metrics": {"orders": 2, "ratings": 3.5}}""",
            """{"_id": 1, "quantity": 8, "metrics": {"orders": 3, "ratings": 3.5, "returns": 1}}""");

    [Theory]
    [InlineData("2147483647", "1", "{\"$numberLong\": \"2147483648\"}")]
    [InlineData("-2147483648", "-1", "{\"$numberLong\": \"-2147483649\"}")]
    [InlineData("1", "{\"$numberLong\": \"1\"}", "{\"$numberLong\": \"2\"}")]
    [InlineData("1", "0.5", "1.5")]
    [InlineData("{\"$numberLong\": \"5\"}", "2.5", "7.5")]
    [InlineData("1", "{\"$numberDecimal\": \"1.5\"}", "{\"$numberDecimal\": \"2.5\"}")]
    [InlineData("{\"$numberDecimal\": \"0.1\"}", "{\"$numberDecimal\": \"0.2\"}", "{\"$numberDecimal\": \"0.3\"}")]
    public void Inc_PromotesNumericTypesLikeMongod(string start, string increment, string expected)
    {
        var (doc, changed) = Run("{\"$inc\": {\"a\": " + increment + "}}", "{\"_id\": 1, \"a\": " + start + "}");
        Same(expected, doc["a"]);
        Assert.True(changed);
    }

    [Fact]
    public void Inc_Int64Overflow_IsAnError()
    {
        var e = Error(() => Run("""{"$inc": {"a": 1}}""", """{"_id": 1, "a": {"$numberLong": "9223372036854775807"}}"""));
        Assert.Equal(2, e.Code);
        Assert.Equal("Failed to apply $inc operations to current value ((NumberLong)9223372036854775807) for document {_id: 1}", e.Message);
    }

    [Fact]
    public void Inc_ByZero_IsANoOp()
        => Check("""{"$inc": {"a": 0}}""", """{"_id": 1, "a": 5}""", """{"_id": 1, "a": 5}""", changed: false);

    [Fact]
    public void Inc_TypeErrors()
    {
        var e = Error(() => Run("""{"$inc": {"a": 1}}""", """{"_id": 1, "a": "x"}"""));
        Assert.Equal(14, e.Code);
        Assert.Equal("TypeMismatch", e.CodeName);
        Assert.Equal("Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type string", e.Message);
        var arg = Error(() => UpdateSpec.Compile(D("""{"$inc": {"a": "x"}}""")));
        Assert.Equal(14, arg.Code);
        Assert.Equal("Cannot increment with non-numeric argument: {a: \"x\"}", arg.Message);
        Assert.Equal("Cannot multiply with non-numeric argument: {a: null}", Error(() => UpdateSpec.Compile(D("""{"$mul": {"a": null}}"""))).Message);
    }

    [Fact]
    public void Mul_MultipliesAndCreatesAZeroOfTheMultipliersType()
    {
        Check("""{"$mul": {"price": 1.25, "qty": 2}}""", """{"_id": 1, "price": 10.0, "qty": 25}""", """{"_id": 1, "price": 12.5, "qty": 50}""");
        Check("""{"$mul": {"price": {"$numberLong": "100"}}}""", """{"_id": 2}""", """{"_id": 2, "price": {"$numberLong": "0"}}""");
        Check("""{"$mul": {"price": 2.5}}""", """{"_id": 2}""", """{"_id": 2, "price": 0.0}""");
        Check("""{"$mul": {"a": 65536}}""", """{"_id": 3, "a": 65536}""", """{"_id": 3, "a": {"$numberLong": "4294967296"}}""");
    }

    [Fact]
    public void MinAndMax_CompareAcrossTypes()
    {
        Check("""{"$min": {"lowScore": 150}}""", """{"_id": 1, "highScore": 800, "lowScore": 200}""", """{"_id": 1, "highScore": 800, "lowScore": 150}""");
        Check("""{"$min": {"lowScore": 250}}""", """{"_id": 1, "lowScore": 200}""", """{"_id": 1, "lowScore": 200}""", changed: false);
        Check("""{"$max": {"highScore": 950}}""", """{"_id": 1, "highScore": 800}""", """{"_id": 1, "highScore": 950}""");
        Check("""{"$max": {"highScore": "a"}}""", """{"_id": 1, "highScore": 800}""", """{"_id": 1, "highScore": "a"}""");
        Check("""{"$min": {"a": null}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "a": null}""");
        Check("""{"$max": {"a": 1.0}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "a": 1}""", changed: false);
        Check("""{"$min": {"m": 3}}""", """{"_id": 1}""", """{"_id": 1, "m": 3}""");
    }

    [Fact]
    public void Rename_MovesValues()
    {
        Check("""{"$rename": {"nmae": "name"}}""", """{"_id": 1, "nmae": "x", "b": 1}""", """{"_id": 1, "b": 1, "name": "x"}""");
        Check("""{"$rename": {"name.first": "name.fname"}}""", """{"_id": 1, "name": {"first": "a", "last": "b"}}""", """{"_id": 1, "name": {"last": "b", "fname": "a"}}""");
        Check("""{"$rename": {"a": "b"}}""", """{"_id": 1, "a": 1, "b": 2}""", """{"_id": 1, "b": 1}""");
        Check("""{"$rename": {"wife": "spouse"}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "a": 1}""", changed: false);
        Check("""{"$rename": {"a": "x.y"}}""", """{"_id": 1, "a": 1}""", """{"_id": 1, "x": {"y": 1}}""");
    }

    [Fact]
    public void Rename_Errors()
    {
        Assert.Equal("The 'to' field for $rename must be a string: a: 1", Error(() => UpdateSpec.Compile(D("""{"$rename": {"a": 1}}"""))).Message);
        Assert.Equal("The source and target field for $rename must differ: a: \"a\"", Error(() => UpdateSpec.Compile(D("""{"$rename": {"a": "a"}}"""))).Message);
        Assert.Equal("The source and target field for $rename must not be on the same path: a: \"a.b\"", Error(() => UpdateSpec.Compile(D("""{"$rename": {"a": "a.b"}}"""))).Message);
        var e = Error(() => Run("""{"$rename": {"a.b": "c"}}""", """{"_id": 1, "a": [{"b": 1}]}"""));
        Assert.Equal(2, e.Code);
        Assert.StartsWith("The source field cannot be an array element", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("The destination field cannot be an array element",
            Error(() => Run("""{"$rename": {"c": "a.b"}}""", """{"_id": 1, "c": 1, "a": [{"b": 1}]}""")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CurrentDate_WritesTheContextTime()
    {
        var context = new UpdateContext { NowMilliseconds = 1_700_000_000_123, Timestamp = new BsonTimestamp(1_700_000_000, 7) };
        var doc = D("""{"_id": 1, "status": "a"}""");
        var changed = UpdateSpec.Compile(D("""{"$currentDate": {"lastModified": true, "cancellation.date": {"$type": "timestamp"}, "d": {"$type": "date"}}}""")).Apply(doc, context);
        Assert.True(changed);
        Same("""{"_id": 1, "status": "a", "cancellation": {"date": {"$timestamp": {"t": 1700000000, "i": 7}}}, "d": {"$date": {"$numberLong": "1700000000123"}}, "lastModified": {"$date": {"$numberLong": "1700000000123"}}}""", doc);
        Assert.Equal(2, Error(() => UpdateSpec.Compile(D("""{"$currentDate": {"a": {"$type": "x"}}}"""))).Code);
        Assert.Equal(2, Error(() => UpdateSpec.Compile(D("""{"$currentDate": {"a": 1}}"""))).Code);
    }

    [Fact]
    public void SetOnInsert_DoesNothingOnUpdate()
        => Check("""{"$setOnInsert": {"a": 1}, "$set": {"b": 1}}""", """{"_id": 1}""", """{"_id": 1, "b": 1}""");
}
