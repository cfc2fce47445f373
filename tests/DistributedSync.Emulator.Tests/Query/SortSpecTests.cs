using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Sort;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Sort specifications: cross-type order, array keys, missing fields and errors.</summary>
public sealed class SortSpecTests
{
    private static List<int> SortedIds(string sort, string docs)
        => [.. SortSpec.Compile(D(sort)).Sort(Docs(docs)).Select(d => d["_id"].AsInt32)];

    [Fact]
    public void Ascending_UsesTheCrossTypeOrder_WithMissingAsNull()
    {
        const string docs = """
            [
              {"_id": 1, "a": "b"}, {"_id": 2, "a": 3}, {"_id": 3}, {"_id": 4, "a": null},
              {"_id": 5, "a": 1.5}, {"_id": 6, "a": {"x": 1}}, {"_id": 7, "a": true}, {"_id": 8, "a": {"$minKey": 1}}
            ]
            """;
        Assert.Equal([8, 3, 4, 5, 2, 1, 6, 7], SortedIds("""{"a": 1}""", docs));
        Assert.Equal([7, 6, 1, 2, 5, 3, 4, 8], SortedIds("""{"a": -1}""", docs));
    }

    [Fact]
    public void ArrayFields_SortByTheirSmallestElementAscending_AndLargestDescending()
    {
        // From the manual's example: with {} {a: 1} {a: []} {a: [1]} {a: [0, 1]}, ascending
        // gives [] {} [0,1] 1 [1] and descending gives 1 [1] [0,1] {} [].
        const string docs = """[{"_id": 1}, {"_id": 2, "a": 1}, {"_id": 3, "a": []}, {"_id": 4, "a": [1]}, {"_id": 5, "a": [0, 1]}]""";
        Assert.Equal([3, 1, 5, 2, 4], SortedIds("""{"a": 1}""", docs));
        Assert.Equal([2, 4, 5, 1, 3], SortedIds("""{"a": -1}""", docs));
    }

    [Fact]
    public void DottedPaths_ThroughArraysOfDocuments()
    {
        const string docs = """[{"_id": 1, "a": [{"b": 5}, {"b": 1}]}, {"_id": 2, "a": [{"b": 3}]}, {"_id": 3, "a": {"b": 2}}, {"_id": 4, "a": [{"c": 1}, {"b": 9}]}]""";
        Assert.Equal([4, 1, 3, 2], SortedIds("""{"a.b": 1}""", docs));
        Assert.Equal([4, 1, 2, 3], SortedIds("""{"a.b": -1}""", docs));
        Assert.Equal([4, 1, 3, 2], SortedIds("""{"a.1.b": 1}""", """[{"_id": 1, "a": [{"b": 5}, {"b": 1}]}, {"_id": 2, "a": [{"b": 3}, {"b": 4}]}, {"_id": 3, "a": [{"b": 0}, {"b": 2}]}, {"_id": 4, "a": [{"b": 0}]}]"""));
    }

    [Fact]
    public void CompoundSort_BreaksTiesWithLaterKeys_AndKeepsInputOrderOtherwise()
    {
        const string docs = """[{"_id": 1, "a": 1, "b": 1}, {"_id": 2, "a": 1, "b": 2}, {"_id": 3, "a": 0, "b": 5}, {"_id": 4, "a": 1, "b": 2}]""";
        Assert.Equal([3, 2, 4, 1], SortedIds("""{"a": 1, "b": -1}""", docs));
        Assert.Equal([1, 2, 4, 3], SortedIds("""{"a": -1}""", docs));
    }

    [Fact]
    public void NumbersOfDifferentTypes_SortByValue()
        => Assert.Equal([3, 1, 4, 2], SortedIds("""{"n": 1}""", """[{"_id": 1, "n": 2}, {"_id": 2, "n": {"$numberDecimal": "2.5"}}, {"_id": 3, "n": {"$numberLong": "-1"}}, {"_id": 4, "n": 2.25}]"""));

    [Theory]
    [InlineData("""{"a": 2}""", 15975)]
    [InlineData("""{"a": 0}""", 15975)]
    [InlineData("""{"a": "asc"}""", 15974)]
    [InlineData("""{"a": {"$meta": "textScore"}}""", 2)]
    public void InvalidSortSpecs(string sort, int code)
        => Assert.Equal(code, Error(() => SortSpec.Compile(D(sort))).Code);

    [Fact]
    public void EmptySpec_KeepsTheInputOrder()
    {
        var spec = SortSpec.Compile(D("{}"));
        Assert.Equal(0, spec.KeyCount);
        Assert.Equal([3, 1, 2], spec.Sort(Docs("""[{"_id": 3}, {"_id": 1}, {"_id": 2}]""")).Select(d => d["_id"].AsInt32));
    }

    private static readonly Gen<BsonValue> Scalars = Gen.OneOf(
        Gen.Choose(-3, 3).Select(i => (BsonValue)i),
        Gen.Choose(-3, 3).Select(i => (BsonValue)(i / 2.0)),
        Gen.Choose(-3, 3).Select(i => (BsonValue)(long)i),
        Gen.Elements("a", "b", "").Select(s => (BsonValue)s),
        Gen.Elements<BsonValue>(BsonNull.Value, BsonBoolean.True, BsonBoolean.False, BsonMinKey.Value, BsonMaxKey.Value));

    private static readonly Gen<BsonDocument> ScalarDocs = Gen.OneOf(
        Scalars.Select(v => new BsonDocument("a", v)),
        Gen.Constant(new BsonDocument()));

    [Fact]
    public void Property_ComparerIsATotalOrderConsistentWithTheValueComparer()
    {
        var spec = SortSpec.Compile(D("""{"a": 1}"""));
        var descending = SortSpec.Compile(D("""{"a": -1}"""));
        Prop.ForAll(ScalarDocs.ToArbitrary(), ScalarDocs.ToArbitrary(), ScalarDocs.ToArbitrary(), (x, y, z) =>
        {
            var xy = spec.Comparer.Compare(x, y);
            Assert.Equal(Math.Sign(xy), -Math.Sign(spec.Comparer.Compare(y, x)));
            Assert.Equal(-Math.Sign(xy), Math.Sign(descending.Comparer.Compare(x, y)));
            var expected = BsonValueComparer.Instance.Compare(x.GetValueOrDefault("a") ?? BsonNull.Value, y.GetValueOrDefault("a") ?? BsonNull.Value);
            Assert.Equal(Math.Sign(expected), Math.Sign(xy));
            if (xy <= 0 && spec.Comparer.Compare(y, z) <= 0)
            {
                Assert.True(spec.Comparer.Compare(x, z) <= 0);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void Property_SortIsStableAndOrdered()
    {
        var spec = SortSpec.Compile(D("""{"a": 1}"""));
        Prop.ForAll(Gen.ListOf(ScalarDocs).ToArbitrary(), docs =>
        {
            var numbered = docs.Select((d, i) => new BsonDocument(d) { { "i", i } }).ToList();
            var sorted = spec.Sort(numbered);
            Assert.Equal(numbered.Count, sorted.Count);
            for (var k = 1; k < sorted.Count; k++)
            {
                var c = spec.Comparer.Compare(sorted[k - 1], sorted[k]);
                Assert.True(c < 0 || (c == 0 && sorted[k - 1]["i"].AsInt32 < sorted[k]["i"].AsInt32));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
