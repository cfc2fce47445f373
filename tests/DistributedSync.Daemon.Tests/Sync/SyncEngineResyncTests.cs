using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Replication.Metadata;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>A node that fell off the master's (capped) oplog is copied in full and then follows again.</summary>
public sealed class SyncEngineResyncTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly WriteConcern Majority = new() { WMode = "majority", WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task A_node_behind_the_oldest_retained_entry_is_resynced_and_ends_equal()
    {
        EngineCluster.RequireProcessControl("kill");
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        await cluster.Engine.WriteAsync([new InsertOperation("s", new BsonDocument("_id", 1))], Majority, ct);
        cluster.Nodes[0].Kill();
        for (var i = 2; i <= 6; i++)
        {
            await cluster.Engine.WriteAsync([new InsertOperation("s", new BsonDocument("_id", i))], Majority, ct);
        }

        await cluster.Engine.WriteAsync([new UpdateOperation("s", 1, new BsonDocument("$set", new BsonDocument("v", "late")))], Majority, ct);

        // Trim the early entries from the master's and node 2's oplogs, as a full capped collection would.
        var masterLast = cluster.Engine.GetStatus().Nodes.Single(n => n.Id == 3).Applied.Index;
        foreach (var id in new[] { 2, 3 })
        {
            await cluster.Clients[id - 1].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.OplogCollection)
                .DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$lt", masterLast - 2)), null, ct);
        }

        await cluster.Nodes[0].RestartAsync(cancellationToken: ct);
        await cluster.Engine.WriteAsync([new InsertOperation("s", new BsonDocument("_id", 7))], Majority, ct);
        var expected = await cluster.ReadAllAsync(3, "s");
        Assert.Equal(7, expected.Count);
        await cluster.WaitForSameDocumentsAsync(1, "s", expected, Deadline);
        await Wait.UntilAsync(() => cluster.Engine.GetStatus().Nodes.Single(n => n.Id == 1) is { Role: NodeRole.Slave, LagOps: 0 }, Deadline, "node 1 is a slave in sync again");
        Assert.Contains(cluster.Logs.Entries, e => e.EventId.Name == "ResyncCompleted");
        await cluster.AssertSlavesMatchMasterAsync();
    }
}
