using DistributedSync.Bson;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// Every step of a rollback or resync after its first checks that the node's replication record
/// still names the task's attempt. When another attempt has taken the node over, the task stops
/// and changes nothing more (event RepairSuperseded).
/// </summary>
public sealed class AbandonedRepairTests
{
    private const string Other = "another-attempt";

    [Fact]
    public async Task A_resync_whose_attempt_was_taken_over_mid_copy_copies_nothing_more_and_seeds_no_oplog()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var servers = await NodeServers.StartAsync(2, ["app", MetadataNames.Database], ct);
        await using var target = new MongoClient(servers.Servers[0].ConnectionString);
        await using var source = new MongoClient(servers.Servers[1].ConnectionString);
        var (targetStore, sourceStore) = (Store(1, target), Store(2, source));
        await targetStore.EnsureOplogAsync(ct);
        await sourceStore.EnsureOplogAsync(ct);
        await sourceStore.Data("s").InsertManyAsync(Enumerable.Range(0, 30).Select(i => new BsonDocument("_id", i)), null, ct);
        await Append(sourceStore, OplogEntry.Noop(new OpPosition(1, 1), DateTimeOffset.UtcNow));
        await sourceStore.WriteReplicationAsync(new ReplicationRecord(new OpPosition(1, 1), ReplicationState.Consistent), ct);

        var copyBatches = 0;
        var events = new List<ClusterEvent>();
        var logs = new CapturingLoggerProvider();
        var task = new ResyncTask(targetStore, sourceStore, term: 1, expectedLast: OpPosition.Zero, batchSize: 10, events.Add, logs.CreateLogger("test"), async (step, token) =>
        {
            if (step == "copy batch" && ++copyBatches == 2)
            {
                await TakeOverAsync(targetStore, token); // after the first batch of 10 is in
            }
        });

        await task.RunAsync(ct);

        Assert.Equal([new SyncTaskEnded(1, 1, SyncTaskKind.Resyncing, Succeeded: false)], events);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RepairSuperseded" && e.Message.Contains("copy batch", StringComparison.Ordinal));
        Assert.Equal(10, await targetStore.Data("s").CountDocumentsAsync(new BsonDocument(), null, ct));
        Assert.Equal(OpPosition.Zero, await targetStore.ReadLastPositionAsync(ct));
        var record = await targetStore.ReadReplicationAsync(ct);
        Assert.Equal(Other, record.Attempt);
        Assert.Equal(ReplicationState.Resyncing, record.State);
    }

    [Fact]
    public async Task A_rollback_whose_attempt_was_taken_over_restores_deletes_and_truncates_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var servers = await NodeServers.StartAsync(2, ["app", MetadataNames.Database], ct);
        await using var target = new MongoClient(servers.Servers[0].ConnectionString);
        await using var source = new MongoClient(servers.Servers[1].ConnectionString);
        var (targetStore, sourceStore) = (Store(1, target), Store(2, source));
        await targetStore.EnsureOplogAsync(ct);
        await sourceStore.EnsureOplogAsync(ct);
        var now = DateTimeOffset.UtcNow;

        // The target holds (1,2) x and (1,3) y that the source replaced by (2,2) y.
        var x = new BsonDocument("_id", "x");
        var yTarget = new BsonDocument("_id", "y").Add("v", "target");
        var ySource = new BsonDocument("_id", "y").Add("v", "source");
        await Append(targetStore, OplogEntry.Noop(new OpPosition(1, 1), now), OplogEntry.Insert(new OpPosition(1, 2), "app.r", x, now), OplogEntry.Insert(new OpPosition(1, 3), "app.r", yTarget, now));
        await targetStore.Data("r").InsertManyAsync([x, yTarget], null, ct);
        await targetStore.WriteReplicationAsync(new ReplicationRecord(new OpPosition(1, 3), ReplicationState.Consistent), ct);
        await Append(sourceStore, OplogEntry.Noop(new OpPosition(1, 1), now), OplogEntry.Insert(new OpPosition(2, 2), "app.r", ySource, now));
        await sourceStore.Data("r").InsertOneAsync(ySource, null, ct);

        var events = new List<ClusterEvent>();
        var logs = new CapturingLoggerProvider();
        var task = new RollbackTask(targetStore, sourceStore, term: 2, expectedLast: new OpPosition(1, 3), events.Add, logs.CreateLogger("test"), async (step, token) =>
        {
            if (step == "restore document")
            {
                await TakeOverAsync(targetStore, token);
            }
        });

        await task.RunAsync(ct);

        Assert.Equal([new SyncTaskEnded(1, 2, SyncTaskKind.RollingBack, Succeeded: false)], events);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RepairSuperseded" && e.Message.Contains("restore document", StringComparison.Ordinal));
        await using var cursor = await targetStore.Data("r").FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1) }, ct);
        Assert.Equal([x.ToString(), yTarget.ToString()], (await cursor.ToListAsync(ct)).Select(d => d.ToString()));
        Assert.Equal(new OpPosition(1, 3), await targetStore.ReadLastPositionAsync(ct));
        var record = await targetStore.ReadReplicationAsync(ct);
        Assert.Equal(Other, record.Attempt);
        Assert.Equal(new OpPosition(1, 3), record.Applied);
    }

    [Fact]
    public async Task A_repair_whose_claim_loses_to_another_attempt_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var servers = await NodeServers.StartAsync(2, ["app", MetadataNames.Database], ct);
        await using var target = new MongoClient(servers.Servers[0].ConnectionString);
        await using var source = new MongoClient(servers.Servers[1].ConnectionString);
        var (targetStore, sourceStore) = (Store(1, target), Store(2, source));
        await targetStore.EnsureOplogAsync(ct);
        await targetStore.Data("s").InsertOneAsync(new BsonDocument("_id", "kept"), null, ct);

        var events = new List<ClusterEvent>();
        var logs = new CapturingLoggerProvider();
        var task = new ResyncTask(targetStore, sourceStore, term: 1, expectedLast: OpPosition.Zero, batchSize: 10, events.Add, logs.CreateLogger("test"), async (step, token) =>
        {
            if (step == "claim")
            {
                await TakeOverAsync(targetStore, token); // between the read of the record and the claim
            }
        });

        await task.RunAsync(ct);

        Assert.Equal([new SyncTaskEnded(1, 1, SyncTaskKind.Resyncing, Succeeded: false)], events);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RepairSuperseded" && e.Message.Contains("claim", StringComparison.Ordinal));
        Assert.Equal(1, await targetStore.Data("s").CountDocumentsAsync(new BsonDocument(), null, ct));
        Assert.Equal(Other, (await targetStore.ReadReplicationAsync(ct)).Attempt);
    }

    private static NodeStore Store(int id, MongoClient client) => new(id, "node" + id, client, "app", MetadataNames.Database, 1 << 20);

    private static async Task Append(NodeStore node, params OplogEntry[] entries)
        => await node.AppendAsync(entries, TestContext.Current.CancellationToken);

    /// <summary>What another attempt (a newer task, another daemon) does first: it writes its own attempt id.</summary>
    private static async Task TakeOverAsync(NodeStore node, CancellationToken ct)
    {
        var record = await node.ReadReplicationAsync(ct);
        await node.WriteReplicationAsync(record with { Attempt = Other }, ct);
    }
}
