using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>Write concern timeouts, and an old master coming back and taking over again.</summary>
public sealed class SyncEngineFailureTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly WriteConcern Majority = new() { WMode = "majority", WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Majority_write_with_both_slaves_paused_fails_with_write_concern_but_is_on_the_master()
    {
        EngineCluster.RequireProcessControl("pause");
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        await cluster.Nodes[0].PauseAsync(ct);
        await cluster.Nodes[1].PauseAsync(ct);
        try
        {
            var error = await Assert.ThrowsAsync<SyncEngineException>(() => cluster.Engine.WriteAsync(
                [new InsertOperation("wc", new BsonDocument("_id", 1))],
                new WriteConcern { WMode = "majority", WTimeout = TimeSpan.FromMilliseconds(300) },
                ct));
            Assert.Equal(SyncErrorKind.WriteConcernFailed, error.Kind);
            Assert.Contains("may still be applied", error.Message, StringComparison.Ordinal);
            Assert.Single(await cluster.ReadAllAsync(3, "wc"));
        }
        finally
        {
            await cluster.Nodes[0].ResumeAsync(CancellationToken.None);
            await cluster.Nodes[1].ResumeAsync(CancellationToken.None);
        }

        await cluster.AssertSlavesMatchMasterAsync();
    }

    [Fact]
    public async Task The_old_master_rejoins_catches_up_and_takes_over_with_all_data()
    {
        EngineCluster.RequireProcessControl("kill");
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        await cluster.Engine.WriteAsync([new InsertOperation("t", new BsonDocument("_id", "a"))], Majority, ct);

        cluster.Nodes[2].Kill();
        await cluster.WaitForMasterAsync((m, _) => m == 2, Deadline);
        var termOfNode2 = cluster.Engine.GetStatus().Term;
        await cluster.Engine.WriteAsync([new InsertOperation("t", new BsonDocument("_id", "b"))], Majority, ct);

        await cluster.Nodes[2].RestartAsync(cancellationToken: ct);
        await cluster.WaitForMasterAsync((m, t) => m == 3 && t > termOfNode2, Deadline);
        await cluster.Engine.WriteAsync([new InsertOperation("t", new BsonDocument("_id", "c"))], Majority, ct);

        var master = await cluster.ReadAllAsync(3, "t");
        Assert.Equal(["a", "b", "c"], master.Select(d => ((BsonString)d["_id"]).Value));
        await cluster.WaitForSameDocumentsAsync(1, "t", master, Deadline);
        await cluster.WaitForSameDocumentsAsync(2, "t", master, Deadline);
        var read = await cluster.Engine.ReadAsync(new ReadQuery("t", new BsonDocument(), 10), ReadPreferenceMode.Primary, null, ct);
        Assert.Equal(3, read.NodeId);
        await cluster.AssertSlavesMatchMasterAsync();
    }
}
