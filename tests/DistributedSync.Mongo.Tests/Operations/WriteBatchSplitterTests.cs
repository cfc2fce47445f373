using DistributedSync.Mongo.Operations;
using Xunit;

namespace DistributedSync.Mongo.Tests.Operations;

public sealed class WriteBatchSplitterTests
{
    [Fact]
    public void CountLimit_CutsEveryMaxCountStatements()
    {
        var batches = WriteBatchSplitter.Split([10, 10, 10, 10, 10], overhead: 100, maxCount: 2, maxMessageSize: 10_000);

        Assert.Equal([new(0, 2), new(2, 2), new(4, 1)], batches);
    }

    [Fact]
    public void SizeLimit_IsInclusive()
    {
        // 100 + 50 + 50 = 200 fits exactly; the third statement starts a new batch.
        var batches = WriteBatchSplitter.Split([50, 50, 50], overhead: 100, maxCount: 1000, maxMessageSize: 200);

        Assert.Equal([new(0, 2), new(2, 1)], batches);
    }

    [Fact]
    public void StatementThatCannotFitAlone_IsRefusedWithItsIndex()
    {
        var error = Assert.Throws<MongoClientException>(() => WriteBatchSplitter.Split([50, 150], overhead: 100, maxCount: 10, maxMessageSize: 200));

        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_GivesNoBatch()
        => Assert.Empty(WriteBatchSplitter.Split([], overhead: 10, maxCount: 10, maxMessageSize: 100));
}
