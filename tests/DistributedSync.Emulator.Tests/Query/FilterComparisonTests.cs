using static DistributedSync.Emulator.Tests.Query.Q;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Equality, comparison operators, type bracketing and null semantics of the filter matcher.</summary>
public sealed class FilterComparisonTests
{
    private const string Inventory = """
        [
          {"_id": 1, "qty": 20},
          {"_id": 2, "qty": 20.0},
          {"_id": 3, "qty": {"$numberLong": "20"}},
          {"_id": 4, "qty": {"$numberDecimal": "20.00"}},
          {"_id": 5, "qty": "20"},
          {"_id": 6, "qty": 25},
          {"_id": 7, "qty": null},
          {"_id": 8},
          {"_id": 9, "qty": [5, 30]}
        ]
        """;

    [Fact]
    public void ImplicitEquality_MatchesNumbersOfEveryTypeByValue_ButNotStrings()
        => Assert.Equal([1, 2, 3, 4], MatchingIds("""{"qty": 20}""", Inventory));

    [Fact]
    public void Eq_IsTheSameAsImplicitEquality()
        => Assert.Equal(MatchingIds("""{"qty": 20}""", Inventory), MatchingIds("""{"qty": {"$eq": 20}}""", Inventory));

    [Fact]
    public void Gt_OnlyComparesWithinTheNumberBracket()
        => Assert.Equal([6, 9], MatchingIds("""{"qty": {"$gt": 20}}""", Inventory));

    [Fact]
    public void Gte_IncludesEqualValues()
        => Assert.Equal([1, 2, 3, 4, 6, 9], MatchingIds("""{"qty": {"$gte": 20}}""", Inventory));

    [Fact]
    public void Lt_MatchesAnArrayWithASmallerElement()
        => Assert.Equal([9], MatchingIds("""{"qty": {"$lt": 20}}""", Inventory));

    [Fact]
    public void StringComparison_DoesNotSeeNumbers()
        => Assert.Equal([5], MatchingIds("""{"qty": {"$gte": ""}}""", Inventory));

    [Fact]
    public void Ne_MatchesOtherTypesMissingAndNull()
        => Assert.Equal([5, 6, 7, 8, 9], MatchingIds("""{"qty": {"$ne": 20}}""", Inventory));

    [Fact]
    public void Null_MatchesNullAndMissingButNotUndefined()
    {
        var docs = """[{"_id": 1, "a": null}, {"_id": 2}, {"_id": 3, "a": {"$undefined": true}}, {"_id": 4, "a": 0}, {"_id": 5, "a": [1, null]}, {"_id": 6, "a": false}]""";
        Assert.Equal([1, 2, 5], MatchingIds("""{"a": null}""", docs));
        Assert.Equal([3, 4, 6], MatchingIds("""{"a": {"$ne": null}}""", docs));
    }

    [Fact]
    public void GteAndLteNull_MatchMissing_GtAndLtNullMatchNothing()
    {
        var docs = """[{"_id": 1, "a": null}, {"_id": 2}, {"_id": 3, "a": 1}]""";
        Assert.Equal([1, 2], MatchingIds("""{"a": {"$gte": null}}""", docs));
        Assert.Equal([1, 2], MatchingIds("""{"a": {"$lte": null}}""", docs));
        Assert.Empty(MatchingIds("""{"a": {"$gt": null}}""", docs));
        Assert.Empty(MatchingIds("""{"a": {"$lt": null}}""", docs));
    }

    [Fact]
    public void MinKeyAndMaxKey_BoundEveryTypeIncludingMissing()
    {
        var docs = """[{"_id": 1, "a": 1}, {"_id": 2, "a": "x"}, {"_id": 3}, {"_id": 4, "a": {"$minKey": 1}}, {"_id": 5, "a": {"$maxKey": 1}}]""";
        Assert.Equal([1, 2, 3, 5], MatchingIds("""{"a": {"$gt": {"$minKey": 1}}}""", docs));
        Assert.Equal([1, 2, 3, 4], MatchingIds("""{"a": {"$lt": {"$maxKey": 1}}}""", docs));
        Assert.Equal([4], MatchingIds("""{"a": {"$lte": {"$minKey": 1}}}""", docs));
        Assert.Equal([5], MatchingIds("""{"a": {"$eq": {"$maxKey": 1}}}""", docs));
    }

    [Fact]
    public void NaN_EqualsNaN_ButNoOrderingComparisonMatchesIt()
    {
        var docs = """[{"_id": 1, "a": {"$numberDouble": "NaN"}}, {"_id": 2, "a": 1}, {"_id": 3, "a": {"$numberDouble": "-Infinity"}}]""";
        Assert.Equal([1], MatchingIds("""{"a": {"$numberDouble": "NaN"}}""", docs));
        Assert.Equal([2], MatchingIds("""{"a": {"$gt": {"$numberDouble": "-Infinity"}}}""", docs));
        Assert.Equal([1], MatchingIds("""{"a": {"$gte": {"$numberDouble": "NaN"}}}""", docs));
        Assert.Empty(MatchingIds("""{"a": {"$lt": {"$numberDouble": "NaN"}}}""", docs));
    }

    [Fact]
    public void EmbeddedDocumentEquality_IsExactIncludingFieldOrder()
    {
        // Manual: "Equality matches on the whole embedded document require an exact match of
        // the specified document, including the field order."
        var docs = """[{"_id": 1, "size": {"h": 14, "w": 21, "uom": "cm"}}, {"_id": 2, "size": {"w": 21, "h": 14, "uom": "cm"}}, {"_id": 3, "size": {"h": 14, "w": 21}}]""";
        Assert.Equal([1], MatchingIds("""{"size": {"h": 14, "w": 21, "uom": "cm"}}""", docs));
    }

    [Fact]
    public void DottedPathIntoEmbeddedDocument()
    {
        var docs = """[{"_id": 1, "size": {"h": 14, "uom": "cm"}}, {"_id": 2, "size": {"h": 8.5, "uom": "in"}}, {"_id": 3, "size": 5}]""";
        Assert.Equal([2], MatchingIds("""{"size.uom": "in"}""", docs));
        Assert.Equal([1], MatchingIds("""{"size.h": {"$gt": 10}}""", docs));
        Assert.Equal([3], MatchingIds("""{"size.h": null}""", docs));
    }

    [Fact]
    public void ComparisonWithDates_AndObjectIds_StayInTheirBrackets()
    {
        var docs = """[{"_id": 1, "t": {"$date": "2020-01-01T00:00:00Z"}}, {"_id": 2, "t": {"$date": "2021-01-01T00:00:00Z"}}, {"_id": 3, "t": 1700000000000}]""";
        Assert.Equal([2], MatchingIds("""{"t": {"$gt": {"$date": "2020-06-01T00:00:00Z"}}}""", docs));
        Assert.Equal([3], MatchingIds("""{"t": {"$gt": 0}}""", docs));
    }

    [Fact]
    public void UndefinedOperand_IsRejected()
    {
        var e = Error(() => Matches("""{"a": {"$gt": {"$undefined": true}}}""", "{}"));
        Assert.Equal(2, e.Code);
        Assert.Equal("BadValue", e.CodeName);
        Assert.Equal("cannot compare to undefined", e.Message);
    }

    [Fact]
    public void EmptyFilter_MatchesEverything()
    {
        Assert.True(Matches("{}", """{"a": 1}"""));
        Assert.True(Matches("""{"$comment": "hello"}""", """{"a": 1}"""));
    }

    [Fact]
    public void MultipleFields_AreAnImplicitAnd()
    {
        Assert.True(Matches("""{"a": 1, "b": 2}""", """{"a": 1, "b": 2}"""));
        Assert.False(Matches("""{"a": 1, "b": 2}""", """{"a": 1, "b": 3}"""));
        Assert.True(Matches("""{"a": {"$gt": 1, "$lt": 3}}""", """{"a": 2}"""));
        Assert.False(Matches("""{"a": {"$gt": 1, "$lt": 3}}""", """{"a": 3}"""));
    }
}
