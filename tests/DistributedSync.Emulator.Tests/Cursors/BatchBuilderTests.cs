using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Cursors;
using Xunit;

namespace DistributedSync.Emulator.Tests.Cursors;

public sealed class BatchBuilderTests
{
    /// <summary>
    /// Found by the emulator benchmark: counting only the documents' sizes let a batch of ~1 KB
    /// documents encode to more than 16 MiB, and the reply exceeded what a client accepts.
    /// </summary>
    [Fact]
    public void A_full_batch_encodes_within_16_MiB_including_element_overhead()
    {
        var document = new BsonDocument { { "_id", 1 }, { "pad", new string('x', 990) } };
        var size = BsonCodec.GetEncodedSize(document);
        var builder = new BatchBuilder(maxCount: null);
        while (builder.TryAdd(document, size))
        {
        }

        var encoded = BsonCodec.GetEncodedSize(new BsonDocument("nextBatch", new BsonArray(builder.Documents)));
        Assert.True(builder.Documents.Count > 10_000, $"only {builder.Documents.Count} documents fit");
        Assert.InRange(encoded, BatchBuilder.MaxBatchBytes - (2 * size), BatchBuilder.MaxBatchBytes + 64);
    }

    [Fact]
    public void A_first_document_is_taken_however_large()
    {
        var big = new BsonDocument("pad", new string('x', BatchBuilder.MaxBatchBytes));
        var builder = new BatchBuilder(maxCount: null);

        Assert.True(builder.TryAdd(big));
        Assert.False(builder.TryAdd(new BsonDocument("_id", 2)));
    }
}
