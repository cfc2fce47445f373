using static DistributedSync.Emulator.Tests.Query.Q;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>The set, array, type, regex, arithmetic and logical query operators.</summary>
public sealed class FilterOperatorTests
{
    private const string Values = """
        [
          {"_id": 1, "a": 1},
          {"_id": 2, "a": 2.0},
          {"_id": 3, "a": "x"},
          {"_id": 4, "a": [3, "y"]},
          {"_id": 5, "a": null},
          {"_id": 6},
          {"_id": 7, "a": "xylophone"}
        ]
        """;

    [Fact]
    public void In_MatchesAnyListedValue()
        => Assert.Equal([1, 2, 3, 4], MatchingIds("""{"a": {"$in": [1, 2, "x", 3]}}""", Values));

    [Fact]
    public void In_WithNull_MatchesMissing()
        => Assert.Equal([5, 6], MatchingIds("""{"a": {"$in": [null]}}""", Values));

    [Fact]
    public void In_WithRegex_MatchesStrings()
        => Assert.Equal([3, 7], MatchingIds("""{"a": {"$in": [{"$regularExpression": {"pattern": "^x", "options": ""}}]}}""", Values));

    [Fact]
    public void In_Empty_MatchesNothing_AndNinEmptyMatchesEverything()
    {
        Assert.Empty(MatchingIds("""{"a": {"$in": []}}""", Values));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], MatchingIds("""{"a": {"$nin": []}}""", Values));
    }

    [Fact]
    public void Nin_IsTheComplementOfIn()
        => Assert.Equal([3, 5, 6, 7], MatchingIds("""{"a": {"$nin": [1, 2, 3]}}""", Values));

    [Fact]
    public void In_RequiresAnArray_AndRejectsOperatorDocuments()
    {
        Assert.Equal("$in needs an array", Error(() => Matches("""{"a": {"$in": 1}}""", "{}")).Message);
        Assert.Equal("$nin needs an array", Error(() => Matches("""{"a": {"$nin": 1}}""", "{}")).Message);
        Assert.Equal("cannot nest $ under $in", Error(() => Matches("""{"a": {"$in": [{"$gt": 1}]}}""", "{}")).Message);
    }

    [Fact]
    public void All_RequiresEveryValue_InAnyOrder()
    {
        const string docs = """[{"_id": 1, "tags": ["appliance", "school", "book"]}, {"_id": 2, "tags": ["appliance", "book"]}, {"_id": 3, "tags": "school"}, {"_id": 4, "tags": [["appliance", "school"]]}]""";
        Assert.Equal([1], MatchingIds("""{"tags": {"$all": ["appliance", "school"]}}""", docs));
        Assert.Equal([1, 3], MatchingIds("""{"tags": {"$all": ["school"]}}""", docs));
        Assert.Equal([4], MatchingIds("""{"tags": {"$all": [["appliance", "school"]]}}""", docs));
        Assert.Empty(MatchingIds("""{"tags": {"$all": []}}""", docs));
    }

    [Fact]
    public void All_WithElemMatch_RequiresEachConditionToBeMetByAnElement()
    {
        const string docs = """
            [
              {"_id": 1, "qty": [{"size": "S", "num": 10}, {"size": "M", "num": 45}]},
              {"_id": 2, "qty": [{"size": "M", "num": 100}, {"size": "S", "num": 5}]},
              {"_id": 3, "qty": [{"size": "M", "num": 60}]}
            ]
            """;
        Assert.Equal([1, 2], MatchingIds(
            """{"qty": {"$all": [{"$elemMatch": {"size": "M", "num": {"$gt": 40}}}, {"$elemMatch": {"size": "S"}}]}}""", docs));
        Assert.Equal("$all/$elemMatch has to be consistent",
            Error(() => Matches("""{"qty": {"$all": [{"$elemMatch": {"a": 1}}, 5]}}""", "{}")).Message);
        Assert.Equal("no $ expressions in $all", Error(() => Matches("""{"qty": {"$all": [{"$gt": 5}]}}""", "{}")).Message);
    }

    [Fact]
    public void ElemMatch_DocumentForm_NeedsOneElementToSatisfyEverything()
    {
        const string docs = """
            [
              {"_id": 1, "results": [{"product": "abc", "score": 10}, {"product": "xyz", "score": 5}]},
              {"_id": 2, "results": [{"product": "abc", "score": 8}, {"product": "xyz", "score": 7}]},
              {"_id": 3, "results": [{"product": "abc", "score": 7}, {"product": "xyz", "score": 8}]},
              {"_id": 4, "results": [{"product": "abc", "score": 7}, {"product": "def", "score": 8}]}
            ]
            """;
        Assert.Equal([3], MatchingIds("""{"results": {"$elemMatch": {"product": "xyz", "score": {"$gte": 8}}}}""", docs));
        Assert.Equal([1, 2, 3, 4], MatchingIds("""{"results": {"$elemMatch": {}}}""", docs));
    }

    [Fact]
    public void ElemMatch_ValueForm_TestsScalarElements()
    {
        const string docs = """[{"_id": 1, "results": [82, 85, 88]}, {"_id": 2, "results": [75, 88, 89]}, {"_id": 3, "results": 82}]""";
        Assert.Equal([1], MatchingIds("""{"results": {"$elemMatch": {"$gte": 80, "$lt": 85}}}""", docs));
        Assert.Equal([2], MatchingIds("""{"results": {"$elemMatch": {"$not": {"$gte": 80}}}}""", docs));
        Assert.Equal([1, 2], MatchingIds("""{"results": {"$elemMatch": {"$in": [88, 100]}}}""", docs));
    }

    [Fact]
    public void ElemMatch_SkipsScalarsInDocumentForm_AndSeesNestedArraysAsDocuments()
    {
        Assert.False(Matches("""{"a": {"$elemMatch": {"b": 1}}}""", """{"a": [1, 2]}"""));
        Assert.True(Matches("""{"a": {"$elemMatch": {"0": 1}}}""", """{"a": [[1, 2]]}"""));
        Assert.True(Matches("""{"a": {"$elemMatch": {"$or": [{"b": 1}, {"c": 1}]}}}""", """{"a": [{"c": 1}]}"""));
        Assert.Equal("$elemMatch needs an Object", Error(() => Matches("""{"a": {"$elemMatch": 1}}""", "{}")).Message);
    }

    [Fact]
    public void Exists_UsesTruthiness()
    {
        Assert.True(Matches("""{"a": {"$exists": 1}}""", """{"a": null}"""));
        Assert.True(Matches("""{"a": {"$exists": 0}}""", """{"b": 1}"""));
        Assert.False(Matches("""{"a": {"$exists": false}}""", """{"a": null}"""));
    }

    [Theory]
    [InlineData("\"double\"", new[] { 2 })]
    [InlineData("1", new[] { 2 })]
    [InlineData("\"int\"", new[] { 1, 4 })]
    [InlineData("\"number\"", new[] { 1, 2, 4 })]
    [InlineData("\"string\"", new[] { 3, 4, 7 })]
    [InlineData("[\"null\", \"int\"]", new[] { 1, 4, 5 })]
    [InlineData("{\"$numberLong\": \"10\"}", new[] { 5 })]
    [InlineData("\"array\"", new[] { 4 })]
    [InlineData("\"object\"", new int[0])]
    public void Type_MatchesAliasesAndCodes(string type, int[] expected)
        => Assert.Equal(expected, MatchingIds($$$"""{"a": {"$type": {{{type}}}}}""", Values));

    [Fact]
    public void Type_RejectsUnknownNames()
    {
        var e = Error(() => Matches("""{"a": {"$type": "nope"}}""", "{}"));
        Assert.Equal(2, e.Code);
        Assert.Equal("Unknown type name alias: nope", e.Message);
        Assert.Equal("Invalid numerical type code: 100", Error(() => Matches("""{"a": {"$type": 100}}""", "{}")).Message);
        Assert.Equal(14, Error(() => Matches("""{"a": {"$type": true}}""", "{}")).Code);
    }

    [Fact]
    public void Size_ArgumentErrors()
    {
        Assert.Equal("$size needs a number", Error(() => Matches("""{"a": {"$size": "2"}}""", "{}")).Message);
        Assert.Equal("$size must be a whole number", Error(() => Matches("""{"a": {"$size": 1.5}}""", "{}")).Message);
        Assert.Equal("$size may not be negative", Error(() => Matches("""{"a": {"$size": -1}}""", "{}")).Message);
        Assert.True(Matches("""{"a": {"$size": 2.0}}""", """{"a": [1, 2]}"""));
    }

    [Fact]
    public void Mod_TruncatesNumbers_AndIgnoresOtherTypes()
    {
        const string docs = """[{"_id": 1, "qty": 0}, {"_id": 2, "qty": 5}, {"_id": 3, "qty": 12}, {"_id": 4, "qty": 12.9}, {"_id": 5, "qty": "12"}, {"_id": 6, "qty": -8}]""";
        Assert.Equal([1, 3, 4, 6], MatchingIds("""{"qty": {"$mod": [4, 0]}}""", docs));
        Assert.Equal([1, 3, 4, 6], MatchingIds("""{"qty": {"$mod": [4.5, 0]}}""", docs));
        Assert.Equal([2], MatchingIds("""{"qty": {"$mod": [4, 1]}}""", docs));
    }

    [Theory]
    [InlineData("""{"qty": {"$mod": 4}}""", "malformed mod, needs to be an array")]
    [InlineData("""{"qty": {"$mod": [4]}}""", "malformed mod, not enough elements")]
    [InlineData("""{"qty": {"$mod": [4, 1, 2]}}""", "malformed mod, too many elements")]
    [InlineData("""{"qty": {"$mod": ["4", 1]}}""", "malformed mod, divisor not a number")]
    [InlineData("""{"qty": {"$mod": [0, 1]}}""", "divisor cannot be 0")]
    public void Mod_ArgumentErrors(string filter, string message)
    {
        var e = Error(() => Matches(filter, "{}"));
        Assert.Equal(2, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Not_InvertsTheWholePathPredicate_IncludingMissingFields()
    {
        const string docs = """[{"_id": 1, "price": 1.99}, {"_id": 2, "price": 2.99}, {"_id": 3}, {"_id": 4, "price": [1, 3]}]""";
        Assert.Equal([1, 3], MatchingIds("""{"price": {"$not": {"$gt": 1.99}}}""", docs));
        Assert.Equal([2, 3], MatchingIds("""{"price": {"$not": {"$lt": 2, "$gt": 1.5}}}""", docs));
        Assert.Equal("$not needs a regex or a document", Error(() => Matches("""{"a": {"$not": 5}}""", "{}")).Message);
        Assert.Equal("$not cannot be empty", Error(() => Matches("""{"a": {"$not": {}}}""", "{}")).Message);
    }

    [Fact]
    public void LogicalOperators()
    {
        const string docs = """[{"_id": 1, "a": 1, "b": 1}, {"_id": 2, "a": 1, "b": 2}, {"_id": 3, "a": 2, "b": 2}]""";
        Assert.Equal([2], MatchingIds("""{"$and": [{"a": 1}, {"b": 2}]}""", docs));
        Assert.Equal([1, 2, 3], MatchingIds("""{"$or": [{"a": 1}, {"b": 2}]}""", docs));
        Assert.Equal([3], MatchingIds("""{"$nor": [{"a": 1}, {"b": 1}]}""", docs));
        Assert.Equal([2], MatchingIds("""{"$or": [{"a": 2}, {"b": 2}], "a": 1}""", docs));
    }

    [Theory]
    [InlineData("""{"$and": []}""", "$and must be a nonempty array")]
    [InlineData("""{"$or": {}}""", "$or must be a nonempty array")]
    [InlineData("""{"$nor": [1]}""", "$or/$and/$nor entries need to be full objects")]
    [InlineData("""{"a": {"$foo": 1}}""", "unknown operator: $foo")]
    [InlineData("""{"a": {"$gt": 1, "b": 1}}""", "unknown operator: b")]
    [InlineData("""{"$options": "i", "a": 1}""", "unknown top level operator: $options. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.")]
    [InlineData("""{"a": {"$ne": {"$regularExpression": {"pattern": "x", "options": ""}}}}""", "Can't have regex as arg to $ne")]
    public void InvalidFilters_AreBadValue(string filter, string message)
    {
        var e = Error(() => Matches(filter, "{}"));
        Assert.Equal(2, e.Code);
        Assert.Equal("BadValue", e.CodeName);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void DocumentStartingWithDollarRef_IsALiteralEquality()
        => Assert.True(Matches("""{"a": {"$ref": "c", "$id": 1}}""", """{"a": {"$ref": "c", "$id": 1}}"""));

    [Fact]
    public void EqWithAnOperatorLikeDocument_IsLiteral()
        => Assert.True(Matches("""{"a": {"$eq": {"$gt": 1}}}""", """{"a": {"$gt": 1}}"""));

    [Fact]
    public void Bits_TestPositionsAndMasks()
    {
        const string docs = """[{"_id": 1, "a": 54}, {"_id": 2, "a": 20}, {"_id": 3, "a": 20.0}, {"_id": 4, "a": 102}, {"_id": 5, "a": "x"}]""";
        Assert.Equal([1, 4], MatchingIds("""{"a": {"$bitsAllSet": [1, 5]}}""", docs));
        Assert.Equal([1, 4], MatchingIds("""{"a": {"$bitsAllSet": 34}}""", docs));
        Assert.Equal([2, 3], MatchingIds("""{"a": {"$bitsAllClear": [1, 5]}}""", docs));
        Assert.Equal([1, 4], MatchingIds("""{"a": {"$bitsAnySet": [1, 5]}}""", docs));
        Assert.Equal([2, 3], MatchingIds("""{"a": {"$bitsAnyClear": [1, 5]}}""", docs));
    }

    [Fact]
    public void Expr_ComparesFieldsOfTheSameDocument()
    {
        const string docs = """[{"_id": 1, "spent": 400, "budget": 450}, {"_id": 2, "spent": 500, "budget": 400}, {"_id": 3, "spent": 200}]""";
        Assert.Equal([2, 3], MatchingIds("""{"$expr": {"$gt": ["$spent", "$budget"]}}""", docs));
        Assert.Equal([1], MatchingIds("""{"$expr": {"$lt": ["$spent", {"$ifNull": ["$budget", 0]}]}}""", docs));
    }

    [Fact]
    public void AlwaysTrueAndFalse()
    {
        Assert.True(Matches("""{"$alwaysTrue": 1}""", "{}"));
        Assert.False(Matches("""{"$alwaysFalse": 1}""", "{}"));
    }
}
