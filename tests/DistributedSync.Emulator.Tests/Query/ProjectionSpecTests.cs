using DistributedSync.Emulator.Query.Projection;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>find projections (and the $project stage's syntax) with mongod 4.4+ semantics.</summary>
public sealed class ProjectionSpecTests
{
    private const string Item = """
        {"_id": 1, "item": "journal", "status": "A", "size": {"h": 14, "w": 21, "uom": "cm"}, "instock": [{"warehouse": "A", "qty": 5}, {"warehouse": "C", "qty": 15}]}
        """;

    private static void Check(string projection, string doc, string expected, ProjectionMode mode = ProjectionMode.Find)
        => Same(expected, ProjectionSpec.Compile(D(projection), mode).Apply(D(doc)));

    [Fact]
    public void Inclusion_KeepsListedFieldsAndId_InDocumentOrder()
        => Check("""{"status": 1, "item": 1}""", Item, """{"_id": 1, "item": "journal", "status": "A"}""");

    [Fact]
    public void Inclusion_WithoutId()
        => Check("""{"item": 1, "status": 1, "_id": 0}""", Item, """{"item": "journal", "status": "A"}""");

    [Fact]
    public void Exclusion_RemovesListedFields()
        => Check("""{"status": 0, "instock": 0}""", Item, """{"_id": 1, "item": "journal", "size": {"h": 14, "w": 21, "uom": "cm"}}""");

    [Fact]
    public void IdOnly_IsAnInclusion_AndIdZeroAloneAnExclusion()
    {
        Check("""{"_id": 1}""", Item, """{"_id": 1}""");
        Check("""{"_id": 0}""", """{"_id": 1, "a": 1}""", """{"a": 1}""");
        Check("""{"_id": 1, "status": 0, "instock": 0, "size": 0}""", Item, """{"_id": 1, "item": "journal"}""");
    }

    [Fact]
    public void EmbeddedFields_DottedAndNestedForms()
    {
        const string expected = """{"_id": 1, "item": "journal", "status": "A", "size": {"uom": "cm"}}""";
        Check("""{"item": 1, "status": 1, "size.uom": 1}""", Item, expected);
        Check("""{"item": 1, "status": 1, "size": {"uom": 1}}""", Item, expected);
        Check("""{"size.uom": 0}""", Item, """{"_id": 1, "item": "journal", "status": "A", "size": {"h": 14, "w": 21}, "instock": [{"warehouse": "A", "qty": 5}, {"warehouse": "C", "qty": 15}]}""");
    }

    [Fact]
    public void EmbeddedFieldsInArrays_ApplyToEveryDocumentElement()
    {
        Check("""{"item": 1, "instock.qty": 1}""", Item, """{"_id": 1, "item": "journal", "instock": [{"qty": 5}, {"qty": 15}]}""");
        Check("""{"a.b": 1, "_id": 0}""", """{"a": [{"b": 1, "c": 2}, 3, [{"b": 4, "c": 5}], {"c": 6}]}""", """{"a": [{"b": 1}, [{"b": 4}], {}]}""");
        Check("""{"a.b": 0, "_id": 0}""", """{"a": [{"b": 1, "c": 2}, 3, [{"b": 4, "c": 5}]]}""", """{"a": [{"c": 2}, 3, [{"c": 5}]]}""");
    }

    [Fact]
    public void Inclusion_OfAPathThroughAScalar_DropsTheField()
        => Check("""{"a.b": 1}""", """{"_id": 1, "a": 5, "c": 1}""", """{"_id": 1}""");

    [Fact]
    public void ComputedFields_ComeAfterIncludedFields()
    {
        Check("""{"total": {"$add": ["$a", "$b"]}, "a": 1}""", """{"_id": 1, "a": 2, "b": 3}""", """{"_id": 1, "a": 2, "total": 5}""");
        Check("""{"_id": 0, "label": "fixed", "copy": "$size.h", "lit": {"$literal": 1}}""", Item, """{"label": "fixed", "copy": 14, "lit": 1}""");
        Check("""{"_id": 0, "x.y": "$item", "x.z": "$missing"}""", Item, """{"x": {"y": "journal"}}""");
        Check("""{"_id": 0, "arr": ["$item", "$missing"]}""", Item, """{"arr": ["journal", null]}""");
    }

    [Fact]
    public void FindSlice_LimitsArrays_WithoutMakingAnInclusion()
    {
        const string doc = """{"_id": 1, "title": "t", "comments": [1, 2, 3, 4, 5]}""";
        Check("""{"comments": {"$slice": 2}}""", doc, """{"_id": 1, "title": "t", "comments": [1, 2]}""");
        Check("""{"comments": {"$slice": -2}}""", doc, """{"_id": 1, "title": "t", "comments": [4, 5]}""");
        Check("""{"comments": {"$slice": [1, 2]}}""", doc, """{"_id": 1, "title": "t", "comments": [2, 3]}""");
        Check("""{"comments": {"$slice": [-2, 5]}}""", doc, """{"_id": 1, "title": "t", "comments": [4, 5]}""");
        Check("""{"comments": {"$slice": [10, 2]}}""", doc, """{"_id": 1, "title": "t", "comments": []}""");
        Check("""{"title": 1, "comments": {"$slice": 1}}""", doc, """{"_id": 1, "title": "t", "comments": [1]}""");
        Check("""{"title": {"$slice": 1}}""", doc, """{"_id": 1, "title": "t", "comments": [1, 2, 3, 4, 5]}""");
    }

    [Fact]
    public void FindElemMatch_ReturnsTheFirstMatchingElement_AfterOtherFields()
    {
        const string doc = """{"_id": 1, "zipcode": "63109", "students": [{"name": "john", "school": 102, "age": 10}, {"name": "jess", "school": 102, "age": 11}], "joined": 5}""";
        Check("""{"students": {"$elemMatch": {"school": 102}}}""", doc, """{"_id": 1, "students": [{"name": "john", "school": 102, "age": 10}]}""");
        Check("""{"students": {"$elemMatch": {"school": 102, "age": {"$gt": 10}}}, "joined": 1}""", doc, """{"_id": 1, "joined": 5, "students": [{"name": "jess", "school": 102, "age": 11}]}""");
        Check("""{"students": {"$elemMatch": {"school": 999}}}""", doc, """{"_id": 1}""");
        Check("""{"students": {"$elemMatch": {"school": 102}}, "zipcode": 0}""", doc, """{"_id": 1, "joined": 5, "students": [{"name": "john", "school": 102, "age": 10}]}""");
    }

    [Fact]
    public void EmptyFindProjection_ReturnsTheDocumentUnchanged()
    {
        var spec = ProjectionSpec.Compile(D("{}"));
        Assert.True(spec.IsIdentity);
        Same(Item, spec.Apply(D(Item)));
    }

    [Theory]
    [InlineData("""{"a": 1, "b": 0}""", 31254, "Cannot do exclusion on field b in inclusion projection")]
    [InlineData("""{"a": 0, "b": 1}""", 31253, "Cannot do inclusion on field b in exclusion projection")]
    [InlineData("""{"a": 0, "b": "$x"}""", 31310, "Cannot use an expression b: \"$x\" in an exclusion projection")]
    [InlineData("""{"a": 0, "b": {"$add": [1]}}""", 31252, "Cannot use expression other than $meta in exclusion projection")]
    [InlineData("""{"a": {"b": 1}, "a.b": 1}""", 31250, "Path collision at a.b")]
    [InlineData("""{"a": 1, "a.b": 1}""", 31249, "Path collision at a.b remaining portion b")]
    [InlineData("""{"a.b": 1, "a": 1}""", 31250, "Path collision at a")]
    [InlineData("""{"a": {}}""", 51270, "Invalid empty sub-projection: a")]
    [InlineData("""{"a.b": {"$elemMatch": {"x": 1}}}""", 31275, "Cannot use $elemMatch projection on a nested field.")]
    [InlineData("""{"a": {"$slice": [1]}}""", 31272, "$slice array argument should be of form [skip, limit]")]
    [InlineData("""{"a": {"$slice": [1, 0]}}""", 31259, "$slice limit must be positive, got 0")]
    [InlineData("""{"a": {"$slice": "x"}}""", 31273, "$slice only supports numbers and [skip, limit] arrays")]
    [InlineData("""{"a": {"$foo": 1}}""", 168, "Unrecognized expression '$foo'")]
    [InlineData("""{"a..b": 1}""", 15998, "FieldPath field names may not be empty strings.")]
    public void InvalidProjections(string projection, int code, string message)
    {
        var e = Error(() => ProjectionSpec.Compile(D(projection)));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AggregationMode_RejectsFindOperatorsAndEmptySpecs()
    {
        Assert.Equal(51272, Error(() => ProjectionSpec.Compile(D("{}"), ProjectionMode.Aggregation)).Code);
        Assert.Equal(168, Error(() => ProjectionSpec.Compile(D("""{"a": {"$elemMatch": {"b": 1}}}"""), ProjectionMode.Aggregation)).Code);
        Assert.Equal(31324, Error(() => ProjectionSpec.Compile(D("""{"a.$": 1}"""), ProjectionMode.Aggregation)).Code);
    }

    [Fact]
    public void PositionalProjection_IsNotSupported()
        => Assert.Equal(2, Error(() => ProjectionSpec.Compile(D("""{"grades.$": 1}"""))).Code);

    [Fact]
    public void Apply_DoesNotModifyTheInput()
    {
        var doc = D(Item);
        ProjectionSpec.Compile(D("""{"size.h": 0}""")).Apply(doc);
        ProjectionSpec.Compile(D("""{"size.h": 1, "x": "$item"}""")).Apply(doc);
        Same(Item, doc);
    }
}
