using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Update;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;
using static DistributedSync.Emulator.Tests.Query.UpdateFieldOperatorTests;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>$push, $addToSet, $pop, $pull, $pullAll and the positional operators.</summary>
public sealed class UpdateArrayOperatorTests
{
    [Fact]
    public void Push_AppendsOrCreates()
    {
        Check("""{"$push": {"scores": 89}}""", """{"_id": 1, "scores": [44, 78]}""", """{"_id": 1, "scores": [44, 78, 89]}""");
        Check("""{"$push": {"scores": [1, 2]}}""", """{"_id": 1, "scores": [44]}""", """{"_id": 1, "scores": [44, [1, 2]]}""");
        Check("""{"$push": {"scores": 1}}""", """{"_id": 1}""", """{"_id": 1, "scores": [1]}""");
        Check("""{"$push": {"a": {"$slice": 1}}}""", """{"_id": 1, "a": []}""", """{"_id": 1, "a": [{"$slice": 1}]}""");
    }

    [Fact]
    public void Push_EachPositionSortSlice()
    {
        Check("""{"$push": {"scores": {"$each": [90, 92, 85]}}}""", """{"_id": 1, "scores": [44]}""", """{"_id": 1, "scores": [44, 90, 92, 85]}""");
        Check("""{"$push": {"scores": {"$each": [50, 60], "$position": 0}}}""", """{"_id": 1, "scores": [100]}""", """{"_id": 1, "scores": [50, 60, 100]}""");
        Check("""{"$push": {"scores": {"$each": [20], "$position": -1}}}""", """{"_id": 1, "scores": [50, 60, 100]}""", """{"_id": 1, "scores": [50, 60, 20, 100]}""");
        Check("""{"$push": {"scores": {"$each": [80, 78, 86], "$slice": -5}}}""", """{"_id": 1, "scores": [40, 50, 60]}""", """{"_id": 1, "scores": [50, 60, 80, 78, 86]}""");
        Check("""{"$push": {"scores": {"$each": [], "$slice": 1}}}""", """{"_id": 1, "scores": [40, 50]}""", """{"_id": 1, "scores": [40]}""");
        Check("""{"$push": {"scores": {"$each": [40, 60], "$sort": 1}}}""", """{"_id": 1, "scores": [89, 70, 100]}""", """{"_id": 1, "scores": [40, 60, 70, 89, 100]}""");
        Check("""{"$push": {"scores": {"$each": [], "$sort": -1}}}""", """{"_id": 1, "scores": [1, 3, 2]}""", """{"_id": 1, "scores": [3, 2, 1]}""");
        Check("""{"$push": {"scores": {"$each": [], "$sort": 1}}}""", """{"_id": 1, "scores": [1, 2]}""", """{"_id": 1, "scores": [1, 2]}""", changed: false);
    }

    [Fact]
    public void Push_SortByEmbeddedFieldThenSlice()
        => Check(
            """{"$push": {"quizzes": {"$each": [{"wk": 5, "score": 8}, {"wk": 6, "score": 7}, {"wk": 7, "score": 6}], "$sort": {"score": -1}, "$slice": 3}}}""",
            """{"_id": 5, "quizzes": [{"wk": 1, "score": 10}, {"wk": 2, "score": 8}, {"wk": 3, "score": 5}, {"wk": 4, "score": 6}]}""",
            """{"_id": 5, "quizzes": [{"wk": 1, "score": 10}, {"wk": 2, "score": 8}, {"wk": 5, "score": 8}]}""");

    [Fact]
    public void Push_Errors()
    {
        var e = Error(() => Run("""{"$push": {"a": 1}}""", """{"_id": 1, "a": 5}"""));
        Assert.Equal(2, e.Code);
        Assert.Equal("The field 'a' must be an array but is of type int in document {_id: 1}", e.Message);
        Assert.Equal("Unrecognized clause in $push: $foo", Error(() => UpdateSpec.Compile(D("""{"$push": {"a": {"$each": [], "$foo": 1}}}"""))).Message);
        Assert.Equal("The argument to $each in $push must be an array but it was of type: int", Error(() => UpdateSpec.Compile(D("""{"$push": {"a": {"$each": 1}}}"""))).Message);
        Assert.Equal(2, Error(() => UpdateSpec.Compile(D("""{"$push": {"a": {"$each": [], "$sort": 2}}}"""))).Code);
        Assert.Equal(2, Error(() => UpdateSpec.Compile(D("""{"$push": {"a": {"$each": [], "$slice": "x"}}}"""))).Code);
    }

    [Fact]
    public void AddToSet_AddsOnlyMissingValues()
    {
        Check("""{"$addToSet": {"tags": "accessories"}}""", """{"_id": 1, "tags": ["electronics", "camera"]}""", """{"_id": 1, "tags": ["electronics", "camera", "accessories"]}""");
        Check("""{"$addToSet": {"tags": "camera"}}""", """{"_id": 1, "tags": ["electronics", "camera"]}""", """{"_id": 1, "tags": ["electronics", "camera"]}""", changed: false);
        Check("""{"$addToSet": {"tags": {"$each": ["camera", "electronics", "accessories", "accessories"]}}}""", """{"_id": 2, "tags": ["electronics"]}""", """{"_id": 2, "tags": ["electronics", "camera", "accessories"]}""");
        Check("""{"$addToSet": {"n": 1.0}}""", """{"_id": 1, "n": [1]}""", """{"_id": 1, "n": [1]}""", changed: false);
        Check("""{"$addToSet": {"n": [1, 2]}}""", """{"_id": 1, "n": [1, 2]}""", """{"_id": 1, "n": [1, 2, [1, 2]]}""");
        Check("""{"$addToSet": {"n": {"$each": []}}}""", """{"_id": 1}""", """{"_id": 1, "n": []}""");
        Assert.Equal("Cannot apply $addToSet to non-array field. Field named 'n' has non-array type string",
            Error(() => Run("""{"$addToSet": {"n": 1}}""", """{"_id": 1, "n": "x"}""")).Message);
    }

    [Fact]
    public void Pop_RemovesFirstOrLast()
    {
        Check("""{"$pop": {"scores": -1}}""", """{"_id": 1, "scores": [8, 9, 10]}""", """{"_id": 1, "scores": [9, 10]}""");
        Check("""{"$pop": {"scores": 1}}""", """{"_id": 1, "scores": [9, 10]}""", """{"_id": 1, "scores": [9]}""");
        Check("""{"$pop": {"scores": 1}}""", """{"_id": 1, "scores": []}""", """{"_id": 1, "scores": []}""", changed: false);
        Check("""{"$pop": {"scores": 1}}""", """{"_id": 1}""", """{"_id": 1}""", changed: false);
        Assert.Equal(9, Error(() => UpdateSpec.Compile(D("""{"$pop": {"a": 2}}"""))).Code);
        var e = Error(() => Run("""{"$pop": {"a": 1}}""", """{"_id": 1, "a": 3}"""));
        Assert.Equal(14, e.Code);
        Assert.Equal("Path 'a' contains an element of non-array type 'int'", e.Message);
    }

    [Fact]
    public void Pull_ValuesAndConditions()
    {
        Check(
            """{"$pull": {"fruits": {"$in": ["apples", "oranges"]}, "vegetables": "carrots"}}""",
            """{"_id": 1, "fruits": ["apples", "pears", "oranges", "grapes", "bananas"], "vegetables": ["carrots", "celery", "squash", "carrots"]}""",
            """{"_id": 1, "fruits": ["pears", "grapes", "bananas"], "vegetables": ["celery", "squash"]}""");
        Check("""{"$pull": {"votes": {"$gte": 6}}}""", """{"_id": 1, "votes": [3, 5, 6, 7, 7, 8]}""", """{"_id": 1, "votes": [3, 5]}""");
        Check("""{"$pull": {"n": 1}}""", """{"_id": 1, "n": [1, 1.0, "1", 2]}""", """{"_id": 1, "n": ["1", 2]}""");
        Check("""{"$pull": {"n": 9}}""", """{"_id": 1, "n": [1]}""", """{"_id": 1, "n": [1]}""", changed: false);
        Check("""{"$pull": {"n": [1, 2]}}""", """{"_id": 1, "n": [[1, 2], [2, 1], 1]}""", """{"_id": 1, "n": [[2, 1], 1]}""");
    }

    [Fact]
    public void Pull_DocumentCondition_IsAQueryOnElementDocuments()
    {
        Check(
            """{"$pull": {"results": {"score": 8, "item": "B"}}}""",
            """{"_id": 1, "results": [{"item": "A", "score": 5}, {"item": "B", "score": 8, "comment": "Strongly agree"}, 5]}""",
            """{"_id": 1, "results": [{"item": "A", "score": 5}, 5]}""");
        Check(
            """{"$pull": {"results": {"answers": {"$elemMatch": {"q": 2, "a": {"$gte": 8}}}}}}""",
            """{"_id": 1, "results": [{"item": "A", "answers": [{"q": 1, "a": 4}, {"q": 2, "a": 6}]}, {"item": "B", "answers": [{"q": 1, "a": 8}, {"q": 2, "a": 9}]}]}""",
            """{"_id": 1, "results": [{"item": "A", "answers": [{"q": 1, "a": 4}, {"q": 2, "a": 6}]}]}""");
        Assert.Equal("Cannot apply $pull to a non-array value", Error(() => Run("""{"$pull": {"a": 1}}""", """{"_id": 1, "a": 1}""")).Message);
    }

    [Fact]
    public void PullAll_RemovesEveryListedValue()
    {
        Check("""{"$pullAll": {"scores": [0, 5]}}""", """{"_id": 1, "scores": [0, 2, 5, 5, 1, 0]}""", """{"_id": 1, "scores": [2, 1]}""");
        Assert.Equal("$pullAll requires an array argument but was given a int", Error(() => UpdateSpec.Compile(D("""{"$pullAll": {"a": 1}}"""))).Message);
    }

    [Fact]
    public void Positional_UpdatesTheElementTheFilterMatched()
    {
        var filter = FilterMatcher.Compile(D("""{"_id": 1, "grades": 80}"""));
        var doc = D("""{"_id": 1, "grades": [85, 80, 80]}""");
        Assert.True(filter.Matches(doc, out var offset));
        var changed = UpdateSpec.Compile(D("""{"$set": {"grades.$": 82}}""")).Apply(doc, new UpdateContext { MatchedArrayOffset = offset });
        Assert.True(changed);
        Same("""{"_id": 1, "grades": [85, 82, 80]}""", doc);

        var nested = FilterMatcher.Compile(D("""{"grades.grade": 85}"""));
        var doc2 = D("""{"_id": 4, "grades": [{"grade": 80, "mean": 75}, {"grade": 85, "mean": 90}]}""");
        Assert.True(nested.Matches(doc2, out offset));
        UpdateSpec.Compile(D("""{"$set": {"grades.$.std": 6}}""")).Apply(doc2, new UpdateContext { MatchedArrayOffset = offset });
        Same("""{"_id": 4, "grades": [{"grade": 80, "mean": 75}, {"grade": 85, "mean": 90, "std": 6}]}""", doc2);

        var e = Error(() => Run("""{"$set": {"grades.$": 1}}""", """{"_id": 1, "grades": [1]}"""));
        Assert.Equal("The positional operator did not find the match needed from the query.", e.Message);
    }

    [Fact]
    public void AllPositional_UpdatesEveryElement()
    {
        Check("""{"$inc": {"grades.$[]": 10}}""", """{"_id": 1, "grades": [85, 82, 80]}""", """{"_id": 1, "grades": [95, 92, 90]}""");
        Check("""{"$inc": {"grades.$[].q": 1}}""", """{"_id": 1, "grades": [{"q": 1}, {"r": 1}]}""", """{"_id": 1, "grades": [{"q": 2}, {"r": 1, "q": 1}]}""");
        Assert.Equal("The path 'grades' must exist in the document in order to apply array updates.",
            Error(() => Run("""{"$inc": {"grades.$[]": 10}}""", """{"_id": 1}""")).Message);
    }

    [Fact]
    public void FilteredPositional_UpdatesTheElementsTheArrayFilterMatches()
    {
        var spec = UpdateSpec.Compile(D("""{"$set": {"grades.$[element]": 100}}"""), A("""[{"element": {"$gte": 100}}]"""));
        var doc = D("""{"_id": 1, "grades": [95, 102, 90, 150]}""");
        Assert.True(spec.Apply(doc));
        Same("""{"_id": 1, "grades": [95, 100, 90, 100]}""", doc);

        var docs = UpdateSpec.Compile(D("""{"$set": {"grades.$[elem].mean": 100}}"""), A("""[{"elem.grade": {"$gte": 85}}]"""));
        var doc2 = D("""{"_id": 1, "grades": [{"grade": 80, "mean": 75}, {"grade": 85, "mean": 90}, {"grade": 90, "mean": 85}]}""");
        docs.Apply(doc2);
        Same("""{"_id": 1, "grades": [{"grade": 80, "mean": 75}, {"grade": 85, "mean": 100}, {"grade": 90, "mean": 100}]}""", doc2);

        Assert.Equal("No array filter found for identifier 'x' in path 'a.$[x]'", Error(() => UpdateSpec.Compile(D("""{"$set": {"a.$[x]": 1}}"""))).Message);
        Assert.Equal(9, Error(() => UpdateSpec.Compile(D("""{"$set": {"a": 1}}"""), A("""[{"x": 1}]"""))).Code);
    }
}
