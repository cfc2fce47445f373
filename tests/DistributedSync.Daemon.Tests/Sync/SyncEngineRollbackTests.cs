using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Sync;
using DistributedSync.Mongo;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>A deposed master holding an entry nobody else has rolls it back when it rejoins.</summary>
public sealed class SyncEngineRollbackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly WriteConcern Majority = new() { WMode = "majority", WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public void Rollback_records_are_keyed_by_term_and_index_so_the_same_index_rolled_back_twice_keeps_both()
    {
        var first = RollbackTask.RollbackRecord(OplogEntry.Insert(new OpPosition(2, 10), "app.r", new BsonDocument("_id", "x"), DateTimeOffset.UnixEpoch));
        var second = RollbackTask.RollbackRecord(OplogEntry.Delete(new OpPosition(3, 10), "app.r", "y", DateTimeOffset.UnixEpoch));

        Assert.Equal(new BsonDocument { { "t", 2L }, { "i", 10L } }, first["_id"]);
        Assert.NotEqual(first["_id"], second["_id"]);
        Assert.Equal("i", ((BsonString)first["op"]).Value);
        Assert.Equal("x", ((BsonString)((BsonDocument)first["o"])["_id"]).Value);
    }

    [Fact]
    public async Task The_old_master_rolls_back_its_unreplicated_entry_and_ends_equal_to_the_others()
    {
        EngineCluster.RequireProcessControl("kill");
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        await cluster.Engine.WriteAsync([new InsertOperation("r", new BsonDocument("_id", "a"))], Majority, ct);
        await cluster.StopEngineAsync();

        // Node 3 took a write that never left it (an unreplicated w=1 write), then died.
        var meta = cluster.Clients[2].GetDatabase(MetadataNames.Database);
        var oplog = meta.GetCollection(MetadataNames.OplogCollection);
        var last = OplogEntrySerializer.FromBson((await oplog.FindOneAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", -1) }, ct))!).Position;
        var lost = OplogEntry.Insert(new OpPosition(last.Term, last.Index + 1), "app.r", new BsonDocument("_id", "x"), DateTimeOffset.UtcNow);
        await oplog.InsertOneAsync(OplogEntrySerializer.ToBson(lost), null, ct);
        await cluster.Collection(3, "r").InsertOneAsync(new BsonDocument("_id", "x"), null, ct);
        cluster.Nodes[2].Kill();

        await cluster.StartEngineAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 2, Deadline);
        await cluster.Engine.WriteAsync([new InsertOperation("r", new BsonDocument("_id", "b"))], Majority, ct);

        await cluster.Nodes[2].RestartAsync(cancellationToken: ct);
        var expected = await cluster.ReadAllAsync(2, "r");
        Assert.Equal(["a", "b"], expected.Select(d => ((BsonString)d["_id"]).Value));
        await cluster.WaitForSameDocumentsAsync(3, "r", expected, Deadline);
        await cluster.WaitForSameDocumentsAsync(1, "r", expected, Deadline);

        var saved = await meta.GetCollection(MetadataNames.RollbackCollection).FindOneAsync(new BsonDocument("_id", new BsonDocument { { "t", lost.Position.Term }, { "i", lost.Position.Index } }), null, ct);
        Assert.NotNull(saved);
        Assert.Equal("x", ((BsonString)((BsonDocument)saved["o"])["_id"]).Value);
        Assert.Contains(cluster.Logs.Entries, e => e.EventId.Name == "RollbackCompleted");
        await cluster.AssertSlavesMatchMasterAsync();
    }
}
