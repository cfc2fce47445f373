using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// Fencing without transactions (Replication README, "Fencing"): the master reads its node's term
/// again after appending a batch and acknowledges nothing of it when the term changed; a slave
/// takes no entries from a writer whose term is older than the one it stores.
/// </summary>
public sealed class FencingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Mongo.WriteConcern W1 = new() { W = 1, WTimeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task A_term_stored_on_the_master_node_between_append_and_ack_fails_the_batch_as_deposed_and_the_master_steps_down()
    {
        await using var cluster = await EngineCluster.StartAsync();
        await cluster.WaitForMasterAsync((m, _) => m == 3, Deadline);
        var ct = TestContext.Current.CancellationToken;
        var term = cluster.Engine.GetStatus().Term;
        await cluster.Engine.WriteAsync([new InsertOperation("f", new BsonDocument("_id", 0))], W1, ct);

        var bumped = 0;
        cluster.Engine.BatchAppendedHook = async (master, token) =>
        {
            if (Interlocked.Exchange(ref bumped, 1) == 0)
            {
                // An election for term + 1 reached the master's node after the batch's append.
                await cluster.Metadata(master).ReplaceOneAsync(new BsonDocument("_id", MetadataNames.TermDocumentId), new TermRecord(term + 1, 2, DateTimeOffset.UtcNow).ToBson(), null, token);
            }
        };
        var outcomes = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => OutcomeAsync(cluster.Engine.WriteAsync([new InsertOperation("f", new BsonDocument("_id", i))], W1, ct))));

        Assert.Equal(1, bumped);
        var deposed = outcomes.Where(o => o.Error is not null).ToList();
        Assert.NotEmpty(deposed);
        Assert.All(deposed, o =>
        {
            Assert.Equal(SyncErrorKind.WriteConcernFailed, o.Error!.Kind);
            Assert.StartsWith("deposed: term changed", o.Error.Message, StringComparison.Ordinal);
            Assert.Contains("may or may not survive", o.Error.Message, StringComparison.Ordinal);
        });
        Assert.All(outcomes.Where(o => o.Outcome is not null), o => Assert.True(o.Outcome!.Position.Term > term + 1, $"acknowledged at {o.Outcome.Position} after the bump of term {term}"));
        Assert.Contains(cluster.Logs.Entries, e => e.EventId.Name == "MasterSteppedDown" && e.Message.Contains("HigherTerm", StringComparison.Ordinal));
        await cluster.WaitForMasterAsync((_, t) => t > term + 1, Deadline);
        await cluster.AssertSlavesMatchMasterAsync();
    }

    [Fact]
    public async Task A_slave_storing_a_newer_term_takes_no_entry_from_an_older_term_writer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var servers = await NodeServers.StartAsync(2, ["app", MetadataNames.Database], ct);
        await using var slaveClient = new MongoClient(servers.Servers[0].ConnectionString);
        await using var masterClient = new MongoClient(servers.Servers[1].ConnectionString);
        var slave = new NodeStore(1, "node1", slaveClient, "app", MetadataNames.Database, 1 << 20);
        var master = new NodeStore(2, "node2", masterClient, "app", MetadataNames.Database, 1 << 20);
        await master.EnsureOplogAsync(ct);
        var now = DateTimeOffset.UtcNow;
        await master.AppendAsync([OplogEntry.Noop(new OpPosition(1, 1), now), OplogEntry.Insert(new OpPosition(1, 2), "app.f", new BsonDocument("_id", "a"), now)], ct);

        // Tailing in term 1 while nothing newer is stored: entries arrive.
        var events = new System.Collections.Concurrent.ConcurrentQueue<ClusterEvent>();
        var logs = new CapturingLoggerProvider();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tail = new FollowerTask(slave, master, 1, 2, SyncTaskKind.Tailing, 100, events.Enqueue, logs.CreateLogger("test"), TimeProvider.System).RunAsync(stop.Token);
        await Wait.UntilAsync(() => events.Any(e => e is ReplicationProgressed { Applied.Index: 2 }), Deadline, "the slave applied (1,2)");

        // An election stores term 2 on the slave; the term-1 master writes one more entry.
        await slave.Metadata.ReplaceOneAsync(new BsonDocument("_id", MetadataNames.TermDocumentId), new TermRecord(2, 1, now).ToBson(), null, ct);
        await master.AppendAsync([OplogEntry.Insert(new OpPosition(1, 3), "app.f", new BsonDocument("_id", "late"), now)], ct);
        await Wait.UntilAsync(() => events.Any(e => e is HigherTermObserved { NodeId: 1, Term: 2 }), Deadline, "the slave's task reports the newer term");
        await tail.WaitAsync(Deadline, ct);

        Assert.Equal(new OpPosition(1, 2), await slave.ReadLastPositionAsync(ct));
        Assert.Null(await slave.Data("f").FindOneAsync(new BsonDocument("_id", "late"), null, ct));
        Assert.DoesNotContain(events, e => e is ReplicationProgressed { Applied.Index: 3 });

        // A task started in the old term after that changes nothing either.
        var late = new List<ClusterEvent>();
        await new FollowerTask(slave, master, 1, 2, SyncTaskKind.Tailing, 100, late.Add, logs.CreateLogger("test"), TimeProvider.System).RunAsync(ct);
        Assert.Equal([new HigherTermObserved(1, 2)], late);
        Assert.Equal(new OpPosition(1, 2), await slave.ReadLastPositionAsync(ct));
    }

    private static async Task<(WriteOutcome? Outcome, SyncEngineException? Error)> OutcomeAsync(Task<WriteOutcome> write)
    {
        try
        {
            return (await write, null);
        }
        catch (SyncEngineException e)
        {
            return (null, e);
        }
    }
}
