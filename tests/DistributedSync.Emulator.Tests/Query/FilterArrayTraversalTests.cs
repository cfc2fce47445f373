using static DistributedSync.Emulator.Tests.Query.Q;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>How dotted paths and leaf arrays are traversed (mongod's element iteration).</summary>
public sealed class FilterArrayTraversalTests
{
    [Theory]
    [InlineData("""{"a": [1, 2, 3]}""", true)]
    [InlineData("""{"a": 2}""", true)]
    [InlineData("""{"a": [[2], 3]}""", false)]
    [InlineData("""{"a": []}""", false)]
    public void ScalarQuery_MatchesAnArrayContainingTheValue_ButNotNestedArrays(string doc, bool expected)
        => Assert.Equal(expected, Matches("""{"a": 2}""", doc));

    [Theory]
    [InlineData("""{"tags": ["red", "blank"]}""", true)]
    [InlineData("""{"tags": ["blank", "red"]}""", false)]
    [InlineData("""{"tags": ["red", "blank", "plain"]}""", false)]
    [InlineData("""{"tags": [["red", "blank"], "plain"]}""", true)]
    [InlineData("""{"tags": "red"}""", false)]
    public void ArrayQuery_MatchesTheWholeArrayExactlyOrAnElementThatIsThatArray(string doc, bool expected)
        => Assert.Equal(expected, Matches("""{"tags": ["red", "blank"]}""", doc));

    [Fact]
    public void RangeOnArray_DifferentElementsMaySatisfyEachBound()
    {
        // Manual example: {dim_cm: {$gt: 15, $lt: 20}} matches [14, 21] because 21 > 15 and 14 < 20.
        Assert.True(Matches("""{"dim_cm": {"$gt": 15, "$lt": 20}}""", """{"dim_cm": [14, 21]}"""));
        Assert.False(Matches("""{"dim_cm": {"$elemMatch": {"$gt": 15, "$lt": 20}}}""", """{"dim_cm": [14, 21]}"""));
        Assert.True(Matches("""{"dim_cm": {"$elemMatch": {"$gt": 15, "$lt": 20}}}""", """{"dim_cm": [14, 18]}"""));
    }

    [Fact]
    public void DottedPath_ThroughAnArrayOfDocuments_MatchesAnyElement()
    {
        const string doc = """{"instock": [{"warehouse": "A", "qty": 5}, {"warehouse": "C", "qty": 15}]}""";
        Assert.True(Matches("""{"instock.qty": 15}""", doc));
        Assert.True(Matches("""{"instock.warehouse": "A", "instock.qty": 15}""", doc));
        Assert.False(Matches("""{"instock": {"$elemMatch": {"warehouse": "A", "qty": 15}}}""", doc));
        Assert.True(Matches("""{"instock.qty": {"$lte": 5}}""", doc));
    }

    [Fact]
    public void DottedPath_ReachesArraysInsideArraysOfDocuments()
    {
        Assert.True(Matches("""{"a.b": 2}""", """{"a": [{"b": [1, 2]}, {"b": 3}]}"""));
        Assert.True(Matches("""{"a.b": [1, 2]}""", """{"a": [{"b": [1, 2]}]}"""));
        Assert.True(Matches("""{"a.b.c": 1}""", """{"a": [{"b": [{"c": 1}]}]}"""));
    }

    [Fact]
    public void DottedPath_DoesNotLookInsideArraysNestedDirectlyInArrays()
        => Assert.False(Matches("""{"a.b": 1}""", """{"a": [[{"b": 1}]]}"""));

    [Fact]
    public void NumericComponent_IndexesArrays()
    {
        Assert.True(Matches("""{"a.1": 5}""", """{"a": [4, 5]}"""));
        Assert.False(Matches("""{"a.0": 5}""", """{"a": [4, 5]}"""));
        Assert.True(Matches("""{"a.0.b": 1}""", """{"a": [{"b": 1}, {"b": 2}]}"""));
        Assert.False(Matches("""{"a.0.b": 2}""", """{"a": [{"b": 1}, {"b": 2}]}"""));
        Assert.True(Matches("""{"instock.0.qty": {"$lte": 20}}""", """{"instock": [{"qty": 5}, {"qty": 50}]}"""));
    }

    [Fact]
    public void NumericComponent_IsAFieldNameInDocuments()
    {
        Assert.True(Matches("""{"a.1": 5}""", """{"a": {"1": 5}}"""));
        Assert.True(Matches("""{"a.1": 5}""", """{"a": [{"1": 5}]}"""));
    }

    [Fact]
    public void NumericComponent_OnANestedArrayYieldsTheInnerArrayWithoutExpandingIt()
    {
        Assert.False(Matches("""{"a.0": 1}""", """{"a": [[1, 2]]}"""));
        Assert.True(Matches("""{"a.0": [1, 2]}""", """{"a": [[1, 2]]}"""));
        Assert.True(Matches("""{"a.0.1": 2}""", """{"a": [[1, 2]]}"""));
    }

    [Fact]
    public void NumericComponent_MustBeTheCanonicalSpelling()
        => Assert.False(Matches("""{"a.01": 5}""", """{"a": [4, 5]}"""));

    [Fact]
    public void NullQuery_ThroughArrays_MatchesElementsLackingTheField()
    {
        Assert.True(Matches("""{"a.b": null}""", """{"a": [{"b": 1}, {"c": 2}]}"""));
        Assert.False(Matches("""{"a.b": null}""", """{"a": [{"b": 1}, {"b": 2}]}"""));
        Assert.True(Matches("""{"a.b": null}""", """{"a": [{"b": null}]}"""));
    }

    [Fact]
    public void NullQuery_ThroughAnArrayOfScalars_FindsNoValueAtAll()
    {
        // Scalars inside a non-leaf array are skipped, so the path yields nothing: not even "missing".
        Assert.False(Matches("""{"a.b": null}""", """{"a": [1, 2]}"""));
        Assert.False(Matches("""{"a.b": null}""", """{"a": []}"""));
        Assert.True(Matches("""{"a.b": {"$exists": false}}""", """{"a": [1, 2]}"""));
        Assert.True(Matches("""{"a.b": {"$ne": null}}""", """{"a": [1, 2]}"""));
    }

    [Fact]
    public void NullQuery_ThroughAScalar_SeesAMissingField()
        => Assert.True(Matches("""{"a.b": null}""", """{"a": 5}"""));

    [Fact]
    public void IndexedPath_AlsoLooksForTheIndexAsAFieldOfEachElement()
    {
        // Each element document is searched for a field named "0" (missing, hence null) as well as
        // the element at index 0 being walked.
        Assert.True(Matches("""{"a.0.b": null}""", """{"a": [{"b": 1}, {"b": 2}]}"""));
        Assert.False(Matches("""{"a.0.b": {"$exists": false}}""", """{"a": [{"b": 1}]}"""));
    }

    [Fact]
    public void ExistsThroughArrays()
    {
        Assert.True(Matches("""{"a.b": {"$exists": true}}""", """{"a": [{"c": 1}, {"b": null}]}"""));
        Assert.False(Matches("""{"a.b": {"$exists": true}}""", """{"a": [{"c": 1}]}"""));
        Assert.True(Matches("""{"a": {"$exists": true}}""", """{"a": []}"""));
        Assert.True(Matches("""{"a": {"$exists": false}}""", """{"b": 1}"""));
    }

    [Fact]
    public void ComparisonAgainstAnArrayOperand_ComparesWholeArrays()
    {
        Assert.True(Matches("""{"a": {"$gt": [1]}}""", """{"a": [2]}"""));
        Assert.True(Matches("""{"a": {"$gt": [1]}}""", """{"a": [[2]]}"""));
        Assert.False(Matches("""{"a": {"$gt": [1]}}""", """{"a": 2}"""));
    }

    [Fact]
    public void TypeArray_MatchesArraysThroughTheWholeArrayValue()
    {
        Assert.True(Matches("""{"a": {"$type": "array"}}""", """{"a": []}"""));
        Assert.True(Matches("""{"a": {"$type": "array"}}""", """{"a": [1]}"""));
        Assert.False(Matches("""{"a": {"$type": "array"}}""", """{"a": 1}"""));
        Assert.True(Matches("""{"a": {"$type": "string"}}""", """{"a": [1, "x"]}"""));
    }

    [Fact]
    public void Size_LooksAtTheArrayItself_NotItsNestedArrays()
    {
        Assert.True(Matches("""{"a": {"$size": 2}}""", """{"a": [1, [2, 3]]}"""));
        Assert.False(Matches("""{"a": {"$size": 2}}""", """{"a": [[1, 2]]}"""));
        Assert.True(Matches("""{"a.b": {"$size": 2}}""", """{"a": [{"b": [1, 2]}, {"b": 3}]}"""));
        Assert.True(Matches("""{"a": {"$size": 0}}""", """{"a": []}"""));
        Assert.False(Matches("""{"a": {"$size": 1}}""", """{"a": 1}"""));
    }

    [Fact]
    public void PositionalOffset_IsTheIndexOfTheMatchingElementInTheFirstArray()
    {
        var matcher = DistributedSync.Emulator.Query.Filter.FilterMatcher.Compile(D("""{"grades": {"$gte": 85}}"""));
        Assert.True(matcher.Matches(D("""{"grades": [80, 85, 90]}"""), out var offset));
        Assert.Equal(1, offset);

        var nested = DistributedSync.Emulator.Query.Filter.FilterMatcher.Compile(D("""{"items.qty": 5}"""));
        Assert.True(nested.Matches(D("""{"items": [{"qty": 1}, {"qty": [5, 3]}]}"""), out offset));
        Assert.Equal(1, offset);

        var elemMatch = DistributedSync.Emulator.Query.Filter.FilterMatcher.Compile(D("""{"a": {"$elemMatch": {"x": 2}}}"""));
        Assert.True(elemMatch.Matches(D("""{"a": [{"x": 1}, {"x": 2}]}"""), out offset));
        Assert.Equal(1, offset);

        var scalar = DistributedSync.Emulator.Query.Filter.FilterMatcher.Compile(D("""{"a": 1}"""));
        Assert.True(scalar.Matches(D("""{"a": 1}"""), out offset));
        Assert.Equal(-1, offset);
    }
}
