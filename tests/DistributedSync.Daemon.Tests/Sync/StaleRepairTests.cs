using DistributedSync.Bson;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using Xunit;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// A rollback or resync is decided from the node's oplog end at that moment (ExpectedLast). If
/// the node has moved on by the time the task runs, the task must change nothing: a late resync
/// would otherwise wipe a node that no longer needs it.
/// </summary>
public sealed class StaleRepairTests
{
    [Fact]
    public async Task A_resync_planned_for_an_older_oplog_end_leaves_the_node_untouched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var servers = await NodeServers.StartAsync(2, ["app", MetadataNames.Database], ct);
        await using var targetClient = new MongoClient(servers.Servers[0].ConnectionString);
        await using var sourceClient = new MongoClient(servers.Servers[1].ConnectionString);
        var targetStore = new NodeStore(1, "node1", targetClient, "app", MetadataNames.Database, 1 << 20);
        var sourceStore = new NodeStore(2, "node2", sourceClient, "app", MetadataNames.Database, 1 << 20);
        await targetStore.EnsureOplogAsync(ct);
        await targetStore.Data("s").InsertOneAsync(new BsonDocument { { "_id", 1 }, { "v", "kept" } }, null, ct);
        var now = DateTimeOffset.UtcNow;
        var actualLast = new OpPosition(1, 2);
        foreach (var entry in new[] { OplogEntry.Noop(new OpPosition(1, 1), now), OplogEntry.Insert(actualLast, "app.s", new BsonDocument { { "_id", 1 }, { "v", "kept" } }, now) })
        {
            await targetStore.Oplog.InsertOneAsync(OplogEntrySerializer.ToBson(entry), null, ct);
        }

        var events = new List<ClusterEvent>();
        var logs = new CapturingLoggerProvider();
        var task = new ResyncTask(targetStore, sourceStore, term: 1, expectedLast: new OpPosition(1, 1), batchSize: 100, events.Add, logs.CreateLogger("test"));

        await task.RunAsync(ct);

        Assert.Equal([new SyncTaskEnded(1, 1, SyncTaskKind.Resyncing, Succeeded: false)], events);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RepairSkipped");
        Assert.Equal("kept", (await targetStore.Data("s").FindOneAsync(new BsonDocument("_id", 1), null, ct))!["v"].AsString);
        Assert.Equal(actualLast, await targetStore.ReadLastPositionAsync(ct));
    }
}
