using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>The client against real servers (see <see cref="IntegrationServers"/>); skipped when none is configured.</summary>
public sealed class ClientIntegrationTests
{
    [Fact]
    public Task Handshake_Ping_AndServerDescription()
        => IntegrationServers.ForEachServerAsync(async (client, _, ct) =>
        {
            var description = await client.ConnectAsync(ct);
            var rtt = await client.PingAsync(ct);

            Assert.True(description.MaxWireVersion >= 6, $"maxWireVersion {description.MaxWireVersion}");
            Assert.True(description.MaxBsonObjectSize >= 16 * 1024 * 1024);
            Assert.True(description.MaxWriteBatchSize >= 1000);
            Assert.True(rtt > TimeSpan.Zero);
            Assert.True(client.ServerDescription!.AverageRoundTripTime > TimeSpan.Zero);
        });

    [Fact]
    public Task Crud_RoundTrip()
        => IntegrationServers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("crud");
            var inserted = await c.InsertOneAsync(new BsonDocument { { "name", "a" }, { "n", 1 } }, cancellationToken: ct);
            Assert.Equal(BsonType.ObjectId, inserted.InsertedId.Type);
            await c.InsertManyAsync([new BsonDocument { { "_id", 2 }, { "name", "b" }, { "n", 2 } }, new BsonDocument { { "_id", 3 }, { "name", "c" }, { "n", 3 } }], cancellationToken: ct);

            var found = await c.FindOneAsync(new BsonDocument("_id", inserted.InsertedId), new FindOptions { Projection = new BsonDocument { { "_id", 0 }, { "name", 1 } } }, ct);
            Assert.Equal(new BsonDocument("name", "a"), found);

            var updated = await c.UpdateOneAsync(new BsonDocument("_id", 2), new BsonDocument("$inc", new BsonDocument("n", 10)), cancellationToken: ct);
            Assert.Equal((1L, 1L), (updated.MatchedCount, updated.ModifiedCount));
            var many = await c.UpdateManyAsync(new BsonDocument("n", new BsonDocument("$gte", 3)), new BsonDocument("$set", new BsonDocument("big", true)), cancellationToken: ct);
            Assert.Equal(2, many.MatchedCount);
            var upsert = await c.UpdateOneAsync(new BsonDocument("_id", 9), new BsonDocument("$set", new BsonDocument("n", 9)), new UpdateOptions { IsUpsert = true }, ct);
            Assert.Equal(9, upsert.UpsertedId!.AsInt32);
            var replaced = await c.ReplaceOneAsync(new BsonDocument("_id", 3), new BsonDocument { { "_id", 3 }, { "name", "C" } }, cancellationToken: ct);
            Assert.Equal(1, replaced.ModifiedCount);

            var before = await c.FindOneAndUpdateAsync(new BsonDocument("_id", 2), new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: ct);
            var after = await c.FindOneAndUpdateAsync(new BsonDocument("_id", 2), new BsonDocument("$inc", new BsonDocument("n", 1)), new FindOneAndUpdateOptions { ReturnDocument = ReturnDocument.After }, ct);
            Assert.Equal(12, before!["n"].ToInt64());
            Assert.Equal(14, after!["n"].ToInt64());
            Assert.Null(await c.FindOneAndDeleteAsync(new BsonDocument("_id", 404), cancellationToken: ct));

            Assert.Equal(4, await c.CountDocumentsAsync(new BsonDocument(), cancellationToken: ct));
            Assert.Equal(2, await c.CountDocumentsAsync(new BsonDocument(), new CountOptions { Skip = 1, Limit = 2 }, ct));
            Assert.Equal(4, await c.EstimatedDocumentCountAsync(cancellationToken: ct));
            var names = await c.DistinctAsync("name", new BsonDocument("name", new BsonDocument("$exists", true)), cancellationToken: ct);
            Assert.Equal(["C", "a", "b"], names.Select(v => v.AsString).Order(StringComparer.Ordinal));

            Assert.Equal(1, (await c.DeleteOneAsync(new BsonDocument("_id", 9), cancellationToken: ct)).DeletedCount);
            Assert.Equal(3, (await c.DeleteManyAsync(new BsonDocument(), cancellationToken: ct)).DeletedCount);
        });

    [Fact]
    public Task Cursor_FetchesEveryBatch_InOrder_AndAggregates()
        => IntegrationServers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("cursor");
            await c.InsertManyAsync(Enumerable.Range(0, 250).Select(i => new BsonDocument { { "_id", i }, { "g", i % 5 } }), cancellationToken: ct);

            var cursor = await c.FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1), BatchSize = 7 }, ct);
            var all = await cursor.ToListAsync(ct);
            Assert.Equal(Enumerable.Range(0, 250), all.Select(d => d["_id"].AsInt32));

            await using (var partial = await c.FindAsync(new BsonDocument(), new FindOptions { BatchSize = 3 }, ct))
            {
                Assert.True(await partial.MoveNextBatchAsync(ct));
                Assert.NotEqual(0, partial.Id);
            }

            var limited = await (await c.FindAsync(new BsonDocument(), new FindOptions { Limit = 10, BatchSize = 4 }, ct)).ToListAsync(ct);
            Assert.Equal(10, limited.Count);

            var groups = await (await c.AggregateAsync(
                [new BsonDocument("$group", new BsonDocument { { "_id", "$g" }, { "count", new BsonDocument("$sum", 1) } }), new BsonDocument("$sort", new BsonDocument("_id", 1))],
                new AggregateOptions { BatchSize = 2 },
                ct)).ToListAsync(ct);
            Assert.Equal(5, groups.Count);
            Assert.All(groups, g => Assert.Equal(50, g["count"].ToInt64()));
        });

    [Fact]
    public Task WriteErrors_CarryTheCallersIndex()
        => IntegrationServers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("dups");
            await c.CreateIndexAsync(new CreateIndexModel(new BsonDocument("k", 1)) { Unique = true }, cancellationToken: ct);
            await c.InsertOneAsync(new BsonDocument("k", 1), cancellationToken: ct);

            var single = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument("k", 1), cancellationToken: ct));
            Assert.Equal(11000, single.WriteError!.Code);

            var docs = Enumerable.Range(0, 6).Select(i => new BsonDocument("k", i is 2 or 4 ? 1 : 100 + i)).ToList();
            var unordered = await Assert.ThrowsAsync<MongoBulkWriteException>(() => c.InsertManyAsync(docs, new InsertManyOptions { IsOrdered = false }, ct));
            Assert.Equal([2, 4], unordered.WriteErrors.Select(e => e.Index));
            Assert.Equal(4, unordered.InsertedCount);

            var ordered = await Assert.ThrowsAsync<MongoBulkWriteException>(() => c.InsertManyAsync(
                Enumerable.Range(0, 4).Select(i => new BsonDocument("k", i == 1 ? 1 : 200 + i)), cancellationToken: ct));
            Assert.Equal(1, Assert.Single(ordered.WriteErrors).Index);
            Assert.Equal(1, ordered.InsertedCount);
            Assert.Equal(7, await c.CountDocumentsAsync(new BsonDocument(), cancellationToken: ct));
        });

    [Fact]
    public Task InsertMany_BeyondMaxWriteBatchSize_IsSplit()
        => IntegrationServers.ForEachServerAsync(async (client, db, ct) =>
        {
            var description = await client.ConnectAsync(ct);
            var count = description.MaxWriteBatchSize + 17;
            var c = db.GetCollection("big");

            var result = await c.InsertManyAsync(Enumerable.Range(0, count).Select(i => new BsonDocument("_id", i)), cancellationToken: ct);

            Assert.Equal(count, result.InsertedCount);
            Assert.Equal(count, await c.CountDocumentsAsync(new BsonDocument(), cancellationToken: ct));
        });

    [Fact]
    public Task CappedCollection_TailableAwaitCursor_SeesNewDocuments()
        => IntegrationServers.ForEachServerAsync(async (_, db, ct) =>
        {
            await db.CreateCollectionAsync("log", new CreateCollectionOptions { Capped = true, MaxSize = 1 << 20, MaxDocuments = 100 }, ct);
            var log = db.GetCollection("log");
            await log.InsertOneAsync(new BsonDocument("seq", 1), cancellationToken: ct);
            var options = new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(200) };

            var cursor = await log.FindAsync(new BsonDocument(), options, ct);
            var seen = new List<int>();
            await foreach (var document in cursor.WithCancellation(ct))
            {
                seen.Add(document["seq"].AsInt32);
                if (seen.Count == 1)
                {
                    await log.InsertOneAsync(new BsonDocument("seq", 2), cancellationToken: ct);
                }
                else
                {
                    break;
                }
            }

            Assert.Equal([1, 2], seen);
            var info = Assert.Single(await db.ListCollectionsAsync(new BsonDocument("name", "log"), ct));
            Assert.True(info["options"].AsDocument["capped"].AsBoolean);
        });

    [Fact]
    public Task Indexes_Collections_AndDatabases_AreListed()
        => IntegrationServers.ForEachServerAsync(async (client, db, ct) =>
        {
            var c = db.GetCollection("idx");
            await c.InsertOneAsync(new BsonDocument { { "a", 1 }, { "b", 2 } }, cancellationToken: ct);
            var name = await c.CreateIndexAsync(new CreateIndexModel(new BsonDocument { { "a", 1 }, { "b", -1 } }), cancellationToken: ct);
            Assert.Equal("a_1_b_-1", name);
            Assert.Contains(await c.ListIndexesAsync(ct), i => i["name"].AsString == name);
            await c.DropIndexAsync(name, cancellationToken: ct);
            Assert.DoesNotContain(await c.ListIndexesAsync(ct), i => i["name"].AsString == name);

            Assert.Contains("idx", await db.ListCollectionNamesAsync(cancellationToken: ct));
            Assert.Contains(db.Name, await client.ListDatabaseNamesAsync(ct));
            await c.DropAsync(cancellationToken: ct);
            await c.DropAsync(cancellationToken: ct);
            Assert.DoesNotContain("idx", await db.ListCollectionNamesAsync(cancellationToken: ct));
            Assert.Empty(await c.ListIndexesAsync(ct));
        });

    [Fact]
    public Task UnknownCommand_IsACommandErrorWithCodeName()
        => IntegrationServers.ForEachServerAsync(async (_, db, ct) =>
        {
            var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync(new BsonDocument("distsyncNoSuchCommand", 1), cancellationToken: ct));

            Assert.Equal(59, error.Code);
            Assert.Equal("CommandNotFound", error.CodeName);
        });
}
