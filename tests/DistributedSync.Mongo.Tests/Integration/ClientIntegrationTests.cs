using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>
/// The client against the servers of <see cref="IntegrationServers"/>: an emulator process, or the
/// real servers named by <c>DISTSYNC_TEST_MONGODB_URIS</c>.
/// </summary>
public sealed class ClientIntegrationTests(IntegrationServers servers) : IClassFixture<IntegrationServers>
{
    [Fact]
    public Task Handshake_Ping_AndServerDescription()
        => servers.ForEachServerAsync(async (client, _, ct) =>
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
        => servers.ForEachServerAsync(async (_, db, ct) =>
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
        => servers.ForEachServerAsync(async (_, db, ct) =>
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
        => servers.ForEachServerAsync(async (_, db, ct) =>
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
            Assert.Equal(1 + 4 + 1, await c.CountDocumentsAsync(new BsonDocument(), cancellationToken: ct));
        });

    [Fact]
    public Task InsertMany_BeyondMaxWriteBatchSize_IsSplit()
        => servers.ForEachServerAsync(async (client, db, ct) =>
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
        => servers.ForEachServerAsync(async (_, db, ct) =>
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
        => servers.ForEachServerAsync(async (client, db, ct) =>
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
        => servers.ForEachServerAsync(async (_, db, ct) =>
        {
            var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync(new BsonDocument("distsyncNoSuchCommand", 1), cancellationToken: ct));

            Assert.Equal(59, error.Code);
            Assert.Equal("CommandNotFound", error.CodeName);
        });
    [Fact]
    public Task Cursor_DefaultFirstBatchIs101_AndGetMoreFetchesTheRest()
        => servers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("batches");
            await c.InsertManyAsync(Enumerable.Range(0, 150).Select(i => new BsonDocument { { "_id", i }, { "pad", new string('x', 16) } }), cancellationToken: ct);

            await using var cursor = await c.FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", -1) }, ct);
            Assert.True(await cursor.MoveNextBatchAsync(ct));
            Assert.Equal(101, cursor.CurrentBatch.Count);
            Assert.NotEqual(0, cursor.Id);
            Assert.Equal(db.Name + ".batches", cursor.Namespace);
            var seen = cursor.CurrentBatch.Select(d => d["_id"].AsInt32).ToList();
            while (await cursor.MoveNextBatchAsync(ct))
            {
                seen.AddRange(cursor.CurrentBatch.Select(d => d["_id"].AsInt32));
            }

            Assert.Equal(Enumerable.Range(0, 150).Reverse(), seen);
            Assert.Equal(0, cursor.Id);
        });

    [Fact]
    public Task Cursor_DisposedEarly_IsKilledOnTheServer()
        => servers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("early");
            await c.InsertManyAsync(Enumerable.Range(0, 20).Select(i => new BsonDocument("_id", i)), cancellationToken: ct);

            var cursor = await c.FindAsync(new BsonDocument(), new FindOptions { BatchSize = 2 }, ct);
            Assert.True(await cursor.MoveNextBatchAsync(ct));
            var id = cursor.Id;
            Assert.NotEqual(0, id);
            await cursor.DisposeAsync();
            Assert.Equal(0, cursor.Id);

            var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync(
                new BsonDocument { { "getMore", id }, { "collection", "early" } }, cancellationToken: ct));
            Assert.Equal(43, error.Code);
            Assert.Equal("CursorNotFound", error.CodeName);

            // Enumerating only part of a cursor with await foreach disposes (kills) it as well.
            long enumeratedId = 0;
            await using (var second = await c.FindAsync(new BsonDocument(), new FindOptions { BatchSize = 2 }, ct))
            {
                await foreach (var document in second.WithCancellation(ct))
                {
                    enumeratedId = second.Id;
                    break;
                }
            }

            Assert.NotEqual(0, enumeratedId);
            var killed = await db.RunCommandAsync(new BsonDocument { { "killCursors", "early" }, { "cursors", new BsonArray { enumeratedId } } }, cancellationToken: ct);
            Assert.Equal([enumeratedId], killed["cursorsNotFound"].AsArray.Select(v => v.ToInt64()));
        });

    [Fact]
    public Task CappedCollection_TrimsTheOldest_AndAnEmptyAwaitDataGetMoreWaits()
        => servers.ForEachServerAsync(async (_, db, ct) =>
        {
            await db.CreateCollectionAsync("ring", new CreateCollectionOptions { Capped = true, MaxSize = 1 << 16, MaxDocuments = 3 }, ct);
            var ring = db.GetCollection("ring");
            for (var i = 0; i < 5; i++)
            {
                await ring.InsertOneAsync(new BsonDocument("seq", i), cancellationToken: ct);
            }

            var left = await (await ring.FindAsync(new BsonDocument(), cancellationToken: ct)).ToListAsync(ct);
            Assert.Equal([2, 3, 4], left.Select(d => d["seq"].AsInt32));

            var options = new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(300) };
            await using var tail = await ring.FindAsync(new BsonDocument("seq", new BsonDocument("$gte", 4)), options, ct);
            Assert.True(await tail.MoveNextBatchAsync(ct));
            Assert.Equal(4, Assert.Single(tail.CurrentBatch)["seq"].AsInt32);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            Assert.True(await tail.MoveNextBatchAsync(ct), "a tailable cursor stays open at the end of the data");
            waited.Stop();
            Assert.Empty(tail.CurrentBatch);
            Assert.NotEqual(0, tail.Id);
            Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(200), $"the empty awaitData getMore returned after {waited.ElapsedMilliseconds} ms (maxAwaitTimeMS 300)");

            await ring.InsertOneAsync(new BsonDocument("seq", 5), cancellationToken: ct);
            var next = new List<int>();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            while (next.Count == 0 && await tail.MoveNextBatchAsync(deadline.Token))
            {
                next.AddRange(tail.CurrentBatch.Select(d => d["seq"].AsInt32));
            }

            Assert.Equal([5], next);

            var plain = db.GetCollection("plain");
            await plain.InsertOneAsync(new BsonDocument("x", 1), cancellationToken: ct);
            var notCapped = await Assert.ThrowsAsync<MongoCommandException>(() => plain.FindAsync(new BsonDocument(), new FindOptions { CursorType = CursorType.Tailable }, ct));
            Assert.Equal(2, notCapped.Code);
        });

    [Fact]
    public Task CommandErrors_CarryMongodsCodes()
        => servers.ForEachServerAsync(async (client, db, ct) =>
        {
            var rename = await Assert.ThrowsAsync<MongoCommandException>(() => client.RunCommandAsync(
                "admin",
                new BsonDocument { { "renameCollection", db.Name + ".missing" }, { "to", db.Name + ".other" } },
                cancellationToken: ct));
            Assert.Equal((26, "NamespaceNotFound"), (rename.Code, rename.CodeName));

            await db.CreateCollectionAsync("exists", cancellationToken: ct);
            if ((await client.ConnectAsync(ct)).MaxWireVersion >= 21)
            {
                // Since 7.0 (wire version 21) creating it again with identical options succeeds.
                await db.CreateCollectionAsync("exists", cancellationToken: ct);
            }

            var exists = await Assert.ThrowsAsync<MongoCommandException>(() => db.CreateCollectionAsync("exists", new CreateCollectionOptions { Capped = true, MaxSize = 4096 }, ct));
            Assert.Equal((48, "NamespaceExists"), (exists.Code, exists.CodeName));

            var c = db.GetCollection("exists");
            await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "s", "text" } }, cancellationToken: ct);
            var badFilter = await Assert.ThrowsAsync<MongoCommandException>(() => c.FindAsync(new BsonDocument("$foo", 1), cancellationToken: ct));
            Assert.Equal((2, "BadValue"), (badFilter.Code, badFilter.CodeName));
            var badIn = await Assert.ThrowsAsync<MongoCommandException>(() => c.CountDocumentsAsync(new BsonDocument("a", new BsonDocument("$in", 5)), cancellationToken: ct));
            Assert.Equal(2, badIn.Code);
            var badStage = await Assert.ThrowsAsync<MongoCommandException>(() => c.AggregateAsync([new BsonDocument("$frobnicate", new BsonDocument())], cancellationToken: ct));
            Assert.Equal(40324, badStage.Code);

            var unknownModifier = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$foo", new BsonDocument("a", 1)), cancellationToken: ct));
            Assert.Equal(9, unknownModifier.WriteError!.Code);
            var notNumeric = await Assert.ThrowsAsync<MongoWriteException>(() => c.UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("s", 1)), cancellationToken: ct));
            Assert.Equal(14, notNumeric.WriteError!.Code);
            var immutable = await Assert.ThrowsAsync<MongoWriteException>(() => c.ReplaceOneAsync(new BsonDocument("_id", 1), new BsonDocument { { "_id", 2 }, { "s", "x" } }, cancellationToken: ct));
            Assert.Equal(66, immutable.WriteError!.Code);
            Assert.Equal(new BsonDocument { { "_id", 1 }, { "s", "text" } }, await c.FindOneAsync(new BsonDocument(), cancellationToken: ct));

            var dropIndex = await Assert.ThrowsAsync<MongoCommandException>(() => c.DropIndexAsync("nope_1", cancellationToken: ct));
            Assert.Equal((27, "IndexNotFound"), (dropIndex.Code, dropIndex.CodeName));
        });

    [Fact]
    public Task DuplicateKey_WriteError_CarriesKeyPatternAndValue()
        => servers.ForEachServerAsync(async (_, db, ct) =>
        {
            var c = db.GetCollection("dupinfo");
            await c.CreateIndexAsync(new CreateIndexModel(new BsonDocument("email", 1)) { Unique = true }, cancellationToken: ct);
            await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "email", "a@example.org" } }, cancellationToken: ct);

            var error = await Assert.ThrowsAsync<MongoWriteException>(() => c.InsertOneAsync(new BsonDocument { { "_id", 2 }, { "email", "a@example.org" } }, cancellationToken: ct));

            var writeError = error.WriteError!;
            var expectedMessage = $"E11000 duplicate key error collection: {db.Name}.dupinfo index: email_1 dup key: {{ email: \"a@example.org\" }}";
            Assert.Equal((11000, 0, expectedMessage), (writeError.Code, writeError.Index, writeError.Message));

            // The client keeps code and message; the raw reply also names the index key and value.
            var reply = await db.RunCommandAsync(
                new BsonDocument
                {
                    { "insert", "dupinfo" },
                    { "documents", new BsonArray { new BsonDocument { { "_id", 3 }, { "email", "c@example.org" } }, new BsonDocument { { "_id", 1 }, { "email", "d@example.org" } } } },
                },
                cancellationToken: ct);
            Assert.Equal(1, reply["n"].ToInt64());
            var raw = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
            Assert.Equal(1, raw["index"].ToInt64());
            Assert.Equal(11000, raw["code"].ToInt64());
            Assert.Equal(new BsonDocument("_id", 1), raw["keyPattern"]);
            Assert.Equal(new BsonDocument("_id", 1), raw["keyValue"]);
            Assert.Equal($"E11000 duplicate key error collection: {db.Name}.dupinfo index: _id_ dup key: {{ _id: 1 }}", raw["errmsg"].AsString);
        });
}
