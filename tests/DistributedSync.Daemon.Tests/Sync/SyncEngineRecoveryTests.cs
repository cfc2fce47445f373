using DistributedSync.Bson;
using DistributedSync.Mongo;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>Crash recovery: a node whose oplog runs ahead of its applied marker re-applies the tail when it becomes master.</summary>
public sealed class SyncEngineRecoveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_master_reapplies_its_oplog_tail_after_the_applied_marker_and_the_slaves_receive_it()
    {
        var wall = DateTimeOffset.UtcNow;
        await using var cluster = await EngineCluster.StartAsync(async clients =>
        {
            // Node 3 "crashed" in term 1 after writing (1,2) and (1,3) to its oplog but before applying them.
            var ct = TestContext.Current.CancellationToken;
            var meta = clients[2].GetDatabase(MetadataNames.Database);
            await meta.CreateCollectionAsync(MetadataNames.OplogCollection, new CreateCollectionOptions { Capped = true, MaxSize = 1 << 20 }, ct);
            await meta.GetCollection(MetadataNames.OplogCollection).InsertManyAsync(
                [
                    OplogEntrySerializer.ToBson(OplogEntry.Noop(new OpPosition(1, 1), wall)),
                    OplogEntrySerializer.ToBson(OplogEntry.Insert(new OpPosition(1, 2), "app.items", new BsonDocument("_id", "r1").Add("v", 1), wall)),
                    OplogEntrySerializer.ToBson(OplogEntry.Update(new OpPosition(1, 3), "app.items", new BsonDocument("_id", "r1").Add("v", 2), wall)),
                ],
                null,
                ct);
            var metadata = meta.GetCollection(MetadataNames.MetadataCollection);
            await metadata.InsertOneAsync(new TermRecord(1, 3, wall).ToBson(), null, ct);
            await metadata.InsertOneAsync(new ReplicationRecord(new OpPosition(1, 1), ReplicationState.Consistent).ToBson(), null, ct);
        });

        await cluster.WaitForMasterAsync((m, t) => m == 3 && t >= 2, Deadline);

        var master = await cluster.ReadAllAsync(3, "items");
        Assert.Equal(["{\"_id\":\"r1\",\"v\":2}"], master.Select(d => d.ToString()));
        var record = ReplicationRecord.FromBson(await cluster.Clients[2].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.MetadataCollection)
            .FindOneAsync(new BsonDocument("_id", MetadataNames.ReplicationDocumentId), null, TestContext.Current.CancellationToken));
        Assert.True(record.Applied.Term >= 2 && record.Applied.Index == 4, $"applied marker is {record.Applied}");
        await cluster.WaitForSameDocumentsAsync(1, "items", master, Deadline);
        await cluster.WaitForSameDocumentsAsync(2, "items", master, Deadline);
        await cluster.AssertSlavesMatchMasterAsync();
    }
}
