using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Http;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// A resync shows its progress (documents copied, estimated total, rate, ETA) in <c>/status</c>
/// and the log, and a resyncing node serves no reads. Both slaves are made to fall off the
/// master's oplog while the daemon is stopped, so no node process is killed (this runs against
/// real mongod too); each copy is held after its first batch until the test has looked.
/// </summary>
public sealed class ResyncProgressTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly Mongo.WriteConcern Majority = new() { WMode = "majority", WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task Resyncing_slaves_report_progress_in_status_and_logs_and_serve_no_reads()
    {
        await using var cluster = await EngineCluster.StartAsync(configure: o => o.Replication.BatchSize = 50);
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        for (var request = 0; request < 4; request++)
        {
            var inserts = Enumerable.Range(request * 100, 100).Select(i => (WriteOperation)new InsertOperation("bulk", new BsonDocument("_id", i).Add("pad", new string('x', 100))));
            await cluster.Engine.WriteAsync([.. inserts], Majority, ct);
        }

        await cluster.StopEngineAsync();
        await MakeSlavesFallOffTheOplogAsync(cluster, ct);

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new int[4];
        await cluster.StartEngineAsync(engine => engine.RepairStepHook = async (node, step, token) =>
        {
            if (step == "copy batch" && Interlocked.Increment(ref batches[node]) == 2)
            {
                await release.Task.WaitAsync(token); // hold the copy after its first batch
            }
        });
        try
        {
            await Wait.UntilAsync(
                () => cluster.Engine.GetStatus().Nodes.Where(n => n.Id != 3).All(n => n is { Role: NodeRole.Resyncing, Resync.Copied: > 0 }),
                Deadline,
                "both slaves are resyncing and have copied a batch");

            var status = cluster.Engine.GetStatus();
            foreach (var node in status.Nodes.Where(n => n.Id != 3))
            {
                var progress = node.Resync!;
                Assert.Equal(50, progress.Copied);
                Assert.Equal(400, progress.Total);
                Assert.True(progress.Rate > 0);
                Assert.NotNull(progress.EtaSeconds);
            }

            var json = StatusEndpoint.ToDocument(status)["nodes"].AsArray.Select(n => n.AsDocument).ToList();
            var resync = json.Single(n => n["id"].ToInt64() == 1)["resync"].AsDocument;
            Assert.Equal(["copied", "total", "rate", "etaSeconds"], resync.Select(e => e.Name));
            Assert.False(json.Single(n => n["id"].ToInt64() == 3).Contains("resync"));

            var read = new ReadQuery("bulk", new BsonDocument("_id", 1), 1);
            var refused = await Assert.ThrowsAsync<SyncEngineException>(() => cluster.Engine.ReadAsync(read, ReadPreferenceMode.Secondary, null, ct));
            Assert.Equal(SyncErrorKind.NoEligibleNode, refused.Kind);
            Assert.Equal(3, (await cluster.Engine.ReadAsync(read, ReadPreferenceMode.SecondaryPreferred, null, ct)).NodeId);
            Assert.Equal(3, (await cluster.Engine.ReadAsync(read, ReadPreferenceMode.Nearest, null, ct)).NodeId);
        }
        finally
        {
            release.TrySetResult();
        }

        await Wait.UntilAsync(
            () => cluster.Engine.GetStatus().Nodes.Where(n => n.Id != 3).All(n => n is { Role: NodeRole.Slave, Resync: null }),
            Deadline,
            "both slaves finished their resync");
        await cluster.AssertSlavesMatchMasterAsync();
        Assert.Contains(cluster.Logs.Entries, e => e.EventId.Name == "ResyncProgress" && e.Message.Contains("400 of about 400 documents", StringComparison.Ordinal));
        Assert.True(cluster.Logs.Entries.Count(e => e.EventId.Name == "ResyncCompleted") >= 2);
        await Wait.UntilAsync(() => cluster.Engine.View.Nodes.Any(n => n.Id != 3 && n.Status?.State == ReplicationState.Consistent), Deadline, "a slave is consistent again");
        var served = await cluster.Engine.ReadAsync(new ReadQuery("bulk", new BsonDocument("_id", 399), 1), ReadPreferenceMode.Secondary, null, ct);
        Assert.NotEqual(3, served.NodeId);
        Assert.Single(served.Documents);
    }

    /// <summary>Nodes 1 and 2 keep only the first oplog entry and its applied marker; the master drops entries 1 and 2.</summary>
    private static async Task MakeSlavesFallOffTheOplogAsync(EngineCluster cluster, CancellationToken ct)
    {
        var first = OplogEntrySerializer.FromBson((await cluster.Oplog(3).FindOneAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1) }, ct))!).Position;
        foreach (var slave in new[] { 1, 2 })
        {
            await cluster.Oplog(slave).DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$gt", first.Index)), null, ct);
            await cluster.Metadata(slave).ReplaceOneAsync(
                new BsonDocument("_id", MetadataNames.ReplicationDocumentId),
                new ReplicationRecord(first, ReplicationState.Consistent).ToBson(),
                new UpdateOptions { IsUpsert = true },
                ct);
        }

        await cluster.Oplog(3).DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$lte", first.Index + 1)), null, ct);
    }
}
