using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Aggregation pipelines over in-memory documents.</summary>
public sealed class PipelineTests
{
    private const string Sales = """
        [
          {"_id": 1, "item": "abc", "price": 10, "quantity": 2, "tags": ["x"]},
          {"_id": 2, "item": "jkl", "price": 20, "quantity": 1},
          {"_id": 3, "item": "xyz", "price": 5.5, "quantity": 10, "tags": ["y", "x"]},
          {"_id": 4, "item": "xyz", "price": 5, "quantity": 20, "tags": "z"},
          {"_id": 5, "item": "abc", "price": 10, "quantity": 10}
        ]
        """;

    private static List<BsonDocument> Run(string pipeline, string docs)
        => [.. Pipeline.Compile(A(pipeline)).Run(Docs(docs))];

    private static void Check(string pipeline, string docs, string expected)
        => Same(V(expected), new BsonArray(Run(pipeline, docs)));

    [Fact]
    public void Group_ByField_WithEveryAccumulator()
        => Check(
            """
            [{"$group": {
              "_id": "$item",
              "total": {"$sum": {"$multiply": ["$price", "$quantity"]}},
              "count": {"$sum": 1},
              "n": {"$count": {}},
              "avgQty": {"$avg": "$quantity"},
              "minPrice": {"$min": "$price"},
              "maxPrice": {"$max": "$price"},
              "first": {"$first": "$_id"},
              "last": {"$last": "$_id"},
              "ids": {"$push": "$_id"},
              "prices": {"$addToSet": "$price"}
            }}]
            """,
            Sales,
            """
            [
              {"_id": "abc", "total": 120, "count": 2, "n": 2, "avgQty": 6.0, "minPrice": 10, "maxPrice": 10, "first": 1, "last": 5, "ids": [1, 5], "prices": [10]},
              {"_id": "jkl", "total": 20, "count": 1, "n": 1, "avgQty": 1.0, "minPrice": 20, "maxPrice": 20, "first": 2, "last": 2, "ids": [2], "prices": [20]},
              {"_id": "xyz", "total": 155.0, "count": 2, "n": 2, "avgQty": 15.0, "minPrice": 5, "maxPrice": 5.5, "first": 3, "last": 4, "ids": [3, 4], "prices": [5.5, 5]}
            ]
            """);

    [Fact]
    public void Group_ByNull_CountsEverything_AndIgnoresNonNumbersInSum()
        => Check(
            """[{"$group": {"_id": null, "count": {"$sum": 1}, "sumItems": {"$sum": "$item"}, "sumTags": {"$sum": "$tags"}, "avgMissing": {"$avg": "$nope"}, "maxMissing": {"$max": "$nope"}}}]""",
            Sales,
            """[{"_id": null, "count": 5, "sumItems": 0, "sumTags": 0, "avgMissing": null, "maxMissing": null}]""");

    [Fact]
    public void Group_ByDocumentKey_TreatsEqualNumbersAsOneGroup()
        => Check(
            """[{"$group": {"_id": {"p": "$price"}, "c": {"$sum": 1}}}]""",
            """[{"_id": 1, "price": 10}, {"_id": 2, "price": 10.0}, {"_id": 3, "price": {"$numberLong": "10"}}, {"_id": 4}]""",
            """[{"_id": {"p": 10}, "c": 3}, {"_id": {}, "c": 1}]""");

    [Fact]
    public void Sum_PromotesIntToLongOnOverflow()
        => Check(
            """[{"$group": {"_id": null, "s": {"$sum": "$v"}}}]""",
            """[{"v": 2147483647}, {"v": 1}]""",
            """[{"_id": null, "s": {"$numberLong": "2147483648"}}]""");

    [Theory]
    [InlineData("""[{"$group": {"total": {"$sum": 1}}}]""", 15955)]
    [InlineData("""[{"$group": {"_id": null, "a.b": {"$sum": 1}}}]""", 40235)]
    [InlineData("""[{"$group": {"_id": null, "a": 1}}]""", 40234)]
    [InlineData("""[{"$group": {"_id": null, "a": {"$sum": 1, "$avg": 1}}}]""", 40238)]
    [InlineData("""[{"$group": {"_id": null, "a": {"$median": 1}}}]""", 15952)]
    public void Group_Errors(string pipeline, int code)
        => Assert.Equal(code, Error(() => Pipeline.Compile(A(pipeline))).Code);

    private const string Clothing = """
        [
          {"_id": 1, "item": "ABC", "sizes": ["S", "M", "L"]},
          {"_id": 2, "item": "EFG", "sizes": []},
          {"_id": 3, "item": "IJK", "sizes": "M"},
          {"_id": 4, "item": "LMN"},
          {"_id": 5, "item": "XYZ", "sizes": null}
        ]
        """;

    [Fact]
    public void Unwind_StringForm()
        => Check(
            """[{"$unwind": "$sizes"}]""",
            Clothing,
            """[{"_id": 1, "item": "ABC", "sizes": "S"}, {"_id": 1, "item": "ABC", "sizes": "M"}, {"_id": 1, "item": "ABC", "sizes": "L"}, {"_id": 3, "item": "IJK", "sizes": "M"}]""");

    [Fact]
    public void Unwind_PreservingNullAndEmptyArrays()
        => Check(
            """[{"$unwind": {"path": "$sizes", "preserveNullAndEmptyArrays": true}}]""",
            Clothing,
            """
            [
              {"_id": 1, "item": "ABC", "sizes": "S"}, {"_id": 1, "item": "ABC", "sizes": "M"}, {"_id": 1, "item": "ABC", "sizes": "L"},
              {"_id": 2, "item": "EFG"}, {"_id": 3, "item": "IJK", "sizes": "M"}, {"_id": 4, "item": "LMN"}, {"_id": 5, "item": "XYZ", "sizes": null}
            ]
            """);

    [Fact]
    public void Unwind_IncludeArrayIndex()
        => Check(
            """[{"$unwind": {"path": "$sizes", "includeArrayIndex": "arrayIndex"}}]""",
            Clothing,
            """
            [
              {"_id": 1, "item": "ABC", "sizes": "S", "arrayIndex": {"$numberLong": "0"}},
              {"_id": 1, "item": "ABC", "sizes": "M", "arrayIndex": {"$numberLong": "1"}},
              {"_id": 1, "item": "ABC", "sizes": "L", "arrayIndex": {"$numberLong": "2"}},
              {"_id": 3, "item": "IJK", "sizes": "M", "arrayIndex": null}
            ]
            """);

    [Fact]
    public void Unwind_EmbeddedPath()
        => Check(
            """[{"$unwind": "$a.b"}]""",
            """[{"_id": 1, "a": {"b": [1, 2], "c": 3}}]""",
            """[{"_id": 1, "a": {"b": 1, "c": 3}}, {"_id": 1, "a": {"b": 2, "c": 3}}]""");

    [Theory]
    [InlineData("""[{"$unwind": "sizes"}]""", 28818)]
    [InlineData("""[{"$unwind": 1}]""", 15981)]
    [InlineData("""[{"$unwind": {"path": "$a", "foo": 1}}]""", 28811)]
    [InlineData("""[{"$unwind": {"includeArrayIndex": "i"}}]""", 28812)]
    public void Unwind_Errors(string pipeline, int code)
        => Assert.Equal(code, Error(() => Pipeline.Compile(A(pipeline))).Code);

    [Fact]
    public void MatchSortSkipLimit()
        => Check(
            """[{"$match": {"price": {"$gte": 5.5}}}, {"$sort": {"price": -1, "_id": 1}}, {"$skip": 1}, {"$limit": 2}, {"$project": {"_id": 1}}]""",
            Sales,
            """[{"_id": 1}, {"_id": 5}]""");

    [Fact]
    public void Project_InclusionExclusionAndExpressions()
    {
        Check("""[{"$project": {"item": 1, "value": {"$multiply": ["$price", "$quantity"]}, "_id": 0}}]""", """[{"_id": 1, "item": "a", "price": 2, "quantity": 3}]""", """[{"item": "a", "value": 6}]""");
        Check("""[{"$project": {"price": 0, "quantity": 0}}]""", """[{"_id": 1, "item": "a", "price": 2, "quantity": 3}]""", """[{"_id": 1, "item": "a"}]""");
        var e = Error(() => Pipeline.Compile(A("""[{"$project": {"a": 1, "b": 0}}]""")));
        Assert.Equal(31254, e.Code);
        Assert.Equal("Invalid $project :: caused by :: Cannot do exclusion on field b in inclusion projection", e.Message);
    }

    [Fact]
    public void AddFields_ReplacesInPlace_AppendsNew_AndMergesEmbeddedDocuments()
    {
        Check(
            """[{"$addFields": {"total": {"$add": ["$a", "$b"]}, "a": "$b", "specs.fuel": "unleaded", "more": {"x": 1}}}]""",
            """[{"_id": 1, "a": 1, "b": 2, "specs": {"doors": 4}}]""",
            """[{"_id": 1, "a": 2, "b": 2, "specs": {"doors": 4, "fuel": "unleaded"}, "total": 3, "more": {"x": 1}}]""");
        Check(
            """[{"$set": {"specs": {"wheels": 4}}}]""",
            """[{"_id": 1, "specs": {"doors": 4}}, {"_id": 2, "specs": [{"doors": 2}, 7]}, {"_id": 3}]""",
            """[{"_id": 1, "specs": {"doors": 4, "wheels": 4}}, {"_id": 2, "specs": [{"doors": 2, "wheels": 4}, {"wheels": 4}]}, {"_id": 3, "specs": {"wheels": 4}}]""");
        Check("""[{"$addFields": {"a": "$$REMOVE", "c": "$nope"}}]""", """[{"_id": 1, "a": 1, "b": 2}]""", """[{"_id": 1, "b": 2}]""");
    }

    [Fact]
    public void Unset_RemovesFields()
    {
        Check("""[{"$unset": "a"}]""", """[{"_id": 1, "a": 1, "b": 2}]""", """[{"_id": 1, "b": 2}]""");
        Check("""[{"$unset": ["a", "c.d"]}]""", """[{"_id": 1, "a": 1, "c": {"d": 1, "e": 2}}]""", """[{"_id": 1, "c": {"e": 2}}]""");
        Assert.Equal(31119, Error(() => Pipeline.Compile(A("""[{"$unset": []}]"""))).Code);
    }

    [Fact]
    public void ReplaceRootAndReplaceWith()
    {
        Check("""[{"$replaceRoot": {"newRoot": "$name"}}]""", """[{"_id": 1, "name": {"first": "John", "last": "Backus"}}]""", """[{"first": "John", "last": "Backus"}]""");
        Check("""[{"$replaceWith": {"$mergeObjects": [{"dogs": 0, "cats": 0}, "$pets"]}}]""", """[{"_id": 1, "pets": {"dogs": 2}}]""", """[{"dogs": 2, "cats": 0}]""");
        var e = Error(() => Run("""[{"$replaceRoot": {"newRoot": "$missing"}}]""", """[{"_id": 1}]"""));
        Assert.Equal(40228, e.Code);
    }

    [Fact]
    public void Count_OutputsOneDocument_OrNoneForEmptyInput()
    {
        Check("""[{"$match": {"price": {"$gt": 6}}}, {"$count": "expensive"}]""", Sales, """[{"expensive": 3}]""");
        Check("""[{"$match": {"price": {"$gt": 100}}}, {"$count": "expensive"}]""", Sales, "[]");
        Assert.Equal(40158, Error(() => Pipeline.Compile(A("""[{"$count": "$x"}]"""))).Code);
    }

    [Fact]
    public void StageSyntaxErrors()
    {
        var unknown = Error(() => Pipeline.Compile(A("""[{"$frobnicate": {}}]""")));
        Assert.Equal(40324, unknown.Code);
        Assert.Equal("Location40324", unknown.CodeName);
        Assert.Equal("Unrecognized pipeline stage name: '$frobnicate'", unknown.Message);
        Assert.Equal(40323, Error(() => Pipeline.Compile(A("""[{"$match": {}, "$limit": 1}]"""))).Code);
        Assert.Equal(14, Error(() => Pipeline.Compile(A("[1]"))).Code);
        Assert.Equal(15976, Error(() => Pipeline.Compile(A("""[{"$sort": {}}]"""))).Code);
        Assert.Equal(15958, Error(() => Pipeline.Compile(A("""[{"$limit": 0}]"""))).Code);
        Assert.Equal(5107200, Error(() => Pipeline.Compile(A("""[{"$skip": -1}]"""))).Code);
        Assert.Equal(15959, Error(() => Pipeline.Compile(A("""[{"$match": 1}]"""))).Code);
    }

    [Fact]
    public void Pipeline_DoesNotModifyItsInput()
    {
        var input = Docs("""[{"_id": 1, "a": {"b": [1, 2]}}]""");
        var copy = input[0].DeepClone();
        _ = Pipeline.Compile(A("""[{"$addFields": {"a.c": 1}}, {"$unwind": "$a.b"}, {"$project": {"a.b": 0}}]""")).Run(input).ToList();
        Same(copy, input[0]);
    }

    [Fact]
    public void Limit_StopsReadingTheInput()
    {
        var read = 0;
        IEnumerable<BsonDocument> Source()
        {
            for (var i = 0; i < 1000; i++)
            {
                read++;
                yield return new BsonDocument("_id", i);
            }
        }

        var result = Pipeline.Compile(A("""[{"$match": {}}, {"$limit": 3}]""")).Run(Source()).ToList();
        Assert.Equal(3, result.Count);
        Assert.Equal(3, read);
    }
}
