using Xunit;

namespace DistributedSync.Bson.Tests.Corpus;

/// <summary>Checks the loader itself against the counts documented for the pinned corpus commit.</summary>
public sealed class BsonCorpusLoaderTests
{
    [Fact]
    public void Loader_ReadsEveryCaseOfThePinnedCorpus()
    {
        BsonCorpus.SkipIfMissing();

        Assert.Equal(728, BsonCorpus.Valid.Count);
        Assert.Equal(75, BsonCorpus.DecodeErrors.Count);
        Assert.Equal(180, BsonCorpus.ParseErrors.Count);
        Assert.All(BsonCorpus.Valid, c => Assert.NotNull(c.CanonicalBson));
        Assert.All(BsonCorpus.Valid, c => Assert.NotNull(c.CanonicalExtJson));
        Assert.All(BsonCorpus.DecodeErrors, c => Assert.NotNull(c.Bson));
        Assert.All(BsonCorpus.ParseErrors, c => Assert.NotNull(c.String));
    }

    [Fact]
    public void Ids_AreUniqueAndResolveToTheirCase()
    {
        BsonCorpus.SkipIfMissing();

        var ids = BsonCorpus.All.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var c in BsonCorpus.All)
        {
            Assert.Same(c, BsonCorpus.Get(c.Id));
        }
    }

    [Fact]
    public void Fields_AreCarriedFromTheFile()
    {
        BsonCorpus.SkipIfMissing();

        var first = BsonCorpus.Get("binary.json#valid#0");
        Assert.Equal("0x05", first.BsonType);
        Assert.Equal(5, first.BsonTypeByte);
        Assert.Equal("x", first.TestKey);
        Assert.Equal("0D000000057800000000000000", first.CanonicalBson);
        Assert.Equal(4, BsonCorpus.Valid.Count(c => c.DegenerateBson is not null));
        Assert.Equal(11, BsonCorpus.Valid.Count(c => c.ConvertedBson is not null));
        Assert.Equal(10, BsonCorpus.Valid.Count(c => c.Lossy));
        Assert.Contains(BsonCorpus.All, c => c.Deprecated);
    }

    [Fact]
    public void TheoryData_HasOneRowPerCase()
    {
        var data = BsonCorpus.ValidIds();
        if (!BsonCorpus.IsAvailable)
        {
            var row = Assert.Single(data);
            Assert.Equal(BsonCorpus.MissingMessage, row.Skip);
            return;
        }

        Assert.Equal(BsonCorpus.Valid.Count, data.Count());
        Assert.Equal(BsonCorpus.Valid.Count(c => c.FileName == "int32.json"), BsonCorpus.IdsInFile(BsonCorpusCaseKind.Valid, "int32.json").Count());
    }
}
