using DistributedSync.Bson;
using DistributedSync.Daemon.Sync;
using DistributedSync.Mongo;
using DistributedSync.Replication.Oplog;
using DistributedSync.TestKit.Processes;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>Batched replay of oplog entries on a real node equals the reference apply semantics.</summary>
public sealed class NodeStoreApplyTests
{
    [Fact]
    public async Task MixedRunsOfUpsertsAndDeletes_EndInTheReferenceState()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var node = await EmulatorProcess.StartAsync(null, ct);
        await using var client = new MongoClient(node.ConnectionString);
        await using var store = new NodeStore(1, "n1", client, "app", "distsync", 1 << 20);
        var random = new Random(7);
        var entries = new List<OplogEntry>();
        for (var i = 1; i <= 3_000; i++)
        {
            var ns = random.Next(3) == 0 ? "app.b" : "app.a";
            var id = BsonInt32.Create(random.Next(200));
            var position = new OpPosition(1, i);
            entries.Add(random.Next(4) == 0
                ? OplogEntry.Delete(position, ns, id, DateTimeOffset.UnixEpoch)
                : OplogEntry.Update(position, ns, new BsonDocument { { "_id", id }, { "v", i } }, DateTimeOffset.UnixEpoch));
        }

        var expected = new Dictionary<DocumentKey, BsonDocument>();
        OplogApplier.Apply(expected, entries);

        await store.ApplyAsync(entries, ct);
        await store.ApplyAsync(entries.Skip(1_000), ct); // replaying a suffix changes nothing

        foreach (var coll in new[] { "a", "b" })
        {
            await using var cursor = await client.GetDatabase("app").GetCollection(coll).FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1) }, ct);
            var actual = await cursor.ToListAsync(ct);
            var want = expected.Where(e => e.Key.Namespace == "app." + coll).OrderBy(e => ((BsonInt32)e.Key.Id).Value).Select(e => e.Value.ToString());
            Assert.Equal(want, actual.Select(d => d.ToString()));
        }
    }

    [Fact]
    public async Task AFailingStatement_Throws_AndTheEntriesBeforeItStayApplied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var node = await EmulatorProcess.StartAsync(null, ct);
        await using var client = new MongoClient(node.ConnectionString);
        await using var store = new NodeStore(1, "n1", client, "app", "distsync", 1 << 20);
        var c = client.GetDatabase("app").GetCollection("c");
        await c.CreateIndexAsync(new CreateIndexModel(new BsonDocument("k", 1)) { Unique = true }, null, ct);
        await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "k", 1 } }, null, ct);
        OplogEntry[] entries =
        [
            OplogEntry.Insert(new OpPosition(1, 1), "app.c", new BsonDocument { { "_id", 3 }, { "k", 3 } }, DateTimeOffset.UnixEpoch),
            OplogEntry.Insert(new OpPosition(1, 2), "app.c", new BsonDocument { { "_id", 2 }, { "k", 1 } }, DateTimeOffset.UnixEpoch),
            OplogEntry.Insert(new OpPosition(1, 3), "app.c", new BsonDocument { { "_id", 4 }, { "k", 4 } }, DateTimeOffset.UnixEpoch),
        ];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ApplyAsync(entries, ct));

        Assert.Contains("app.c", error.Message, StringComparison.Ordinal);
        Assert.Contains("11000", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await c.FindOneAsync(new BsonDocument("_id", 3), null, ct));
        Assert.Null(await c.FindOneAsync(new BsonDocument("_id", 4), null, ct));
    }
}
