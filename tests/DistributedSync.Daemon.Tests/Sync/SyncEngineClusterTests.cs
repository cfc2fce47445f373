using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Metadata;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>The real engine against three emulator processes: election, write path, replication, failover.</summary>
public sealed class SyncEngineClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly WriteConcern W1 = new() { W = 1, WTimeout = TimeSpan.FromSeconds(20) };
    private static readonly WriteConcern Majority = new() { WMode = "majority", WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Election_on_start_picks_node_3_and_stores_the_term_on_a_majority()
    {
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, t) => m == 3 && t >= 1, Deadline);

        var status = cluster.Engine.GetStatus();
        Assert.Equal(3, status.MasterId);
        Assert.Equal(NodeRole.Master, status.Nodes.Single(n => n.Id == 3).Role);
        var holding = 0;
        for (var id = 1; id <= 3; id++)
        {
            var doc = await cluster.Clients[id - 1].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.MetadataCollection)
                .FindOneAsync(new BsonDocument("_id", MetadataNames.TermDocumentId), null, TestContext.Current.CancellationToken);
            var record = TermRecord.FromBson(doc);
            if (record.Term == status.Term && record.MasterId == 3)
            {
                holding++;
            }
        }

        Assert.True(holding >= 2, $"only {holding} node(s) store term {status.Term} for node 3");
        Assert.Contains(cluster.Logs.Entries, e => e.EventId.Name == "ElectionWon" && e.Message.Contains("Node 3 won", StringComparison.Ordinal));
        await cluster.AssertSlavesMatchMasterAsync();
    }

    [Fact]
    public async Task Writes_replicate_to_both_slaves_and_majority_is_acknowledged()
    {
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;

        var inserted = await cluster.Engine.WriteAsync(
            [
                new InsertOperation("items", new BsonDocument("_id", 1).Add("n", 1)),
                new InsertOperation("items", new BsonDocument("_id", 2).Add("n", 2)),
                new InsertOperation("items", new BsonDocument("_id", 3).Add("n", 3)),
            ],
            W1,
            ct);
        Assert.Equal(3, inserted.Inserted);

        var updated = await cluster.Engine.WriteAsync([new UpdateOperation("items", 1, new BsonDocument("$inc", new BsonDocument("n", 10)))], Majority, ct);
        Assert.Equal(1, updated.Modified);
        Assert.True(updated.Position > inserted.Position);
        var replaced = await cluster.Engine.WriteAsync([new ReplaceOperation("items", 4, new BsonDocument("name", "four"), Upsert: true)], Majority, ct);
        Assert.Equal(1, replaced.Upserted);
        var deleted = await cluster.Engine.WriteAsync([new DeleteOperation("items", 2)], Majority, ct);
        Assert.Equal(1, deleted.Deleted);

        var master = await cluster.ReadAllAsync(3, "items");
        Assert.Equal(
            ["{\"_id\":1,\"n\":11}", "{\"_id\":3,\"n\":3}", "{\"_id\":4,\"name\":\"four\"}"],
            master.Select(d => d.ToString()));
        await cluster.WaitForSameDocumentsAsync(1, "items", master, Deadline);
        await cluster.WaitForSameDocumentsAsync(2, "items", master, Deadline);

        var read = await cluster.Engine.ReadAsync(new ReadQuery("items", new BsonDocument("_id", 1), 10), ReadPreferenceMode.Secondary, null, ct);
        Assert.NotEqual(3, read.NodeId);
        Assert.Equal(11, read.Documents.Single()["n"].ToInt64());
        await cluster.AssertSlavesMatchMasterAsync();
    }

    [Fact]
    public async Task Duplicate_id_is_refused_and_leaves_no_oplog_entry()
    {
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        await cluster.Engine.WriteAsync([new InsertOperation("dups", new BsonDocument("_id", "a").Add("v", 1))], W1, ct);
        var oplog = cluster.Clients[2].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.OplogCollection);
        var before = await oplog.CountDocumentsAsync(new BsonDocument(), null, ct);

        var error = await Assert.ThrowsAsync<SyncEngineException>(
            () => cluster.Engine.WriteAsync([new InsertOperation("dups", new BsonDocument("_id", "a").Add("v", 2))], W1, ct));

        Assert.Equal(SyncErrorKind.DuplicateKey, error.Kind);
        Assert.Equal(before, await oplog.CountDocumentsAsync(new BsonDocument(), null, ct));
        var stored = await cluster.ReadAllAsync(3, "dups");
        Assert.Equal(1, stored.Single()["v"].ToInt64());
        await cluster.AssertSlavesMatchMasterAsync();
    }

    [Fact]
    public async Task Killing_the_master_elects_node_2_in_a_higher_term_and_writes_continue()
    {
        EngineCluster.RequireProcessControl("kill");
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        var firstTerm = cluster.Engine.GetStatus().Term;
        for (var i = 0; i < 5; i++)
        {
            await cluster.Engine.WriteAsync([new InsertOperation("log", new BsonDocument("_id", i).Add("phase", "before"))], Majority, ct);
        }

        cluster.Nodes[2].Kill();
        await cluster.WaitForMasterAsync((m, t) => m == 2 && t > firstTerm, Deadline);

        for (var i = 5; i < 10; i++)
        {
            await cluster.Engine.WriteAsync([new InsertOperation("log", new BsonDocument("_id", i).Add("phase", "after"))], Majority, ct);
        }

        var old = await cluster.Engine.ReadAsync(new ReadQuery("log", new BsonDocument("phase", "before"), 100), ReadPreferenceMode.Primary, null, ct);
        Assert.Equal(2, old.NodeId);
        Assert.Equal(5, old.Documents.Count);
        var master = await cluster.ReadAllAsync(2, "log");
        Assert.Equal(10, master.Count);
        await cluster.WaitForSameDocumentsAsync(1, "log", master, Deadline);
        await cluster.AssertSlavesMatchMasterAsync();
    }
}
