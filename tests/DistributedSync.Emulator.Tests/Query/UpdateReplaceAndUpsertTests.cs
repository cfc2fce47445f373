using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Update;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Replacement documents and upserts.</summary>
public sealed class UpdateReplaceAndUpsertTests
{
    [Fact]
    public void FirstField_DecidesReplacementOrOperators()
    {
        Assert.True(UpdateSpec.Compile(D("""{"a": 1}""")).IsReplacement);
        Assert.True(UpdateSpec.Compile(D("{}")).IsReplacement);
        Assert.False(UpdateSpec.Compile(D("""{"$set": {"a": 1}}""")).IsReplacement);
    }

    [Fact]
    public void Replacement_KeepsTheIdFirst_AndReplacesEverythingElse()
    {
        var doc = D("""{"_id": 1, "item": "xyz", "stock": 5}""");
        Assert.True(UpdateSpec.Compile(D("""{"item": "abc", "instock": [{"warehouse": "A"}]}""")).Apply(doc));
        Same("""{"_id": 1, "item": "abc", "instock": [{"warehouse": "A"}]}""", doc);
    }

    [Fact]
    public void Replacement_WithTheSameContent_IsNotAChange()
    {
        var doc = D("""{"_id": 1, "a": 1}""");
        Assert.False(UpdateSpec.Compile(D("""{"a": 1}""")).Apply(doc));
        Assert.False(UpdateSpec.Compile(D("""{"a": 1, "_id": 1}""")).Apply(doc));
        Same("""{"_id": 1, "a": 1}""", doc);
    }

    [Fact]
    public void Replacement_WithAnotherId_IsImmutableField()
    {
        var e = Error(() => UpdateSpec.Compile(D("""{"_id": 2, "a": 1}""")).Apply(D("""{"_id": 1}""")));
        Assert.Equal(66, e.Code);
        Assert.Equal("After applying the update, the (immutable) field '_id' was found to have been altered to _id: 2", e.Message);
    }

    [Fact]
    public void Replacement_WithDollarFields_IsRejected()
        => Assert.Equal(52, Error(() => UpdateSpec.Compile(D("""{"a": 1, "$set": {"b": 1}}"""))).Code);

    [Fact]
    public void Upsert_SeedsTheDocumentFromTheFiltersEqualities()
    {
        var spec = UpdateSpec.Compile(D("""{"$set": {"stock": 10}, "$setOnInsert": {"created": true}}"""));
        var doc = spec.CreateUpsertDocument(D("""{"name": "x", "size.h": 14, "qty": {"$gt": 5}, "color": {"$in": ["red"]}, "tags": {"$in": ["a", "b"]}}"""));
        Same("""{"color": "red", "name": "x", "size": {"h": 14}, "created": true, "stock": 10}""", doc);
    }

    [Fact]
    public void Upsert_PutsIdFirst_AndUsesAndClauses()
    {
        var spec = UpdateSpec.Compile(D("""{"$inc": {"n": 1}}"""));
        var doc = spec.CreateUpsertDocument(D("""{"$and": [{"b": 1}, {"_id": 7}], "$or": [{"c": 1}, {"c": 2}], "d": {"$eq": null}}"""));
        Same("""{"_id": 7, "b": 1, "d": null, "n": 1}""", doc);
    }

    [Fact]
    public void Upsert_WithoutIdInFilter_LeavesIdToTheCaller()
    {
        var doc = UpdateSpec.Compile(D("""{"$set": {"a": 1}}""")).CreateUpsertDocument(D("{}"));
        Same("""{"a": 1}""", doc);
    }

    [Fact]
    public void Upsert_MaySetTheIdWhenTheFilterHasNone_ButNotChangeTheFiltersId()
    {
        Same("""{"_id": 5, "a": 1}""", UpdateSpec.Compile(D("""{"$set": {"a": 1}, "$setOnInsert": {"_id": 5}}""")).CreateUpsertDocument(D("{}")));
        Assert.Equal(66, Error(() => UpdateSpec.Compile(D("""{"$set": {"_id": 2}}""")).CreateUpsertDocument(D("""{"_id": 1}"""))).Code);
        Same("""{"_id": 1}""", UpdateSpec.Compile(D("""{"$set": {"_id": 1}}""")).CreateUpsertDocument(D("""{"_id": 1}""")));
    }

    [Fact]
    public void Upsert_ConflictingEqualities_AreNotSingleValueField()
    {
        var spec = UpdateSpec.Compile(D("""{"$set": {"x": 1}}"""));
        var twice = Error(() => spec.CreateUpsertDocument(D("""{"$and": [{"a": 1}, {"a": 2}]}""")));
        Assert.Equal(54, twice.Code);
        Assert.Equal("cannot infer query fields to set, path 'a' is matched twice", twice.Message);
        var prefix = Error(() => spec.CreateUpsertDocument(D("""{"a": {"b": 1}, "a.b": 1}""")));
        Assert.Equal("cannot infer query fields to set, both paths 'a.b' and 'a' are matched", prefix.Message);
    }

    [Fact]
    public void Upsert_UpdateIntoAQueryScalar_IsPathNotViable()
        => Assert.Equal(28, Error(() => UpdateSpec.Compile(D("""{"$set": {"a.b": 1}}""")).CreateUpsertDocument(D("""{"a": 1}"""))).Code);

    [Fact]
    public void Upsert_ReplacementTakesOnlyTheFiltersId()
    {
        var spec = UpdateSpec.Compile(D("""{"name": "n"}"""));
        Same("""{"_id": 3, "name": "n"}""", spec.CreateUpsertDocument(D("""{"_id": 3, "other": 1}""")));
        Same("""{"name": "n"}""", spec.CreateUpsertDocument(D("""{"other": 1}""")));
        Same("""{"_id": 9, "name": "n"}""", UpdateSpec.Compile(D("""{"name": "n", "_id": 9}""")).CreateUpsertDocument(D("""{"other": 3}""")));
        Assert.Equal(66, Error(() => UpdateSpec.Compile(D("""{"name": "n", "_id": 9}""")).CreateUpsertDocument(D("""{"_id": 3}"""))).Code);
    }

    [Fact]
    public void Upsert_AppliesCurrentDateFromTheContext()
    {
        var doc = UpdateSpec.Compile(D("""{"$currentDate": {"at": true}}""")).CreateUpsertDocument(D("""{"_id": 1}"""), new UpdateContext { NowMilliseconds = 42 });
        Same("""{"_id": 1, "at": {"$date": {"$numberLong": "42"}}}""", doc);
    }

    [Fact]
    public void ApplyDoesNotShareValuesWithTheSpec()
    {
        var spec = UpdateSpec.Compile(D("""{"$set": {"sub": {"x": 1}}}"""));
        var first = D("""{"_id": 1}""");
        var second = D("""{"_id": 2}""");
        spec.Apply(first);
        spec.Apply(second);
        ((BsonDocument)first["sub"]).Set("x", 2);
        Same("""{"_id": 2, "sub": {"x": 1}}""", second);
    }

    [Fact]
    public void PipelineUpdate_ComputesFromTheDocument_AndKeepsTheId()
    {
        var spec = UpdateSpec.CompilePipeline(A("""[{"$set": {"total": {"$add": ["$a", "$b"]}}}, {"$unset": "b"}]"""));
        Assert.True(spec.IsPipeline);
        var doc = D("""{"_id": 1, "a": 1, "b": 2}""");
        Assert.True(spec.Apply(doc));
        Same("""{"_id": 1, "a": 1, "total": 3}""", doc);

        var same = UpdateSpec.CompilePipeline(A("""[{"$set": {"a": "$a"}}]"""));
        Assert.False(same.Apply(doc));

        var root = UpdateSpec.CompilePipeline(A("""[{"$replaceWith": {"x": "$a"}}]"""));
        root.Apply(doc);
        Same("""{"_id": 1, "x": 1}""", doc);

        Assert.Equal(66, Error(() => UpdateSpec.CompilePipeline(A("""[{"$set": {"_id": 2}}]""")).Apply(D("""{"_id": 1}"""))).Code);
        var e = Error(() => UpdateSpec.CompilePipeline(A("""[{"$match": {}}]""")));
        Assert.Equal(72, e.Code);
        Assert.Equal("InvalidOptions", e.CodeName);
    }

    [Fact]
    public void PipelineUpsert_StartsFromTheFiltersEqualities()
        => Same(
            """{"_id": 4, "a": 2, "double": 4}""",
            UpdateSpec.CompilePipeline(A("""[{"$set": {"double": {"$multiply": ["$a", 2]}}}]""")).CreateUpsertDocument(D("""{"_id": 4, "a": 2}""")));
}
