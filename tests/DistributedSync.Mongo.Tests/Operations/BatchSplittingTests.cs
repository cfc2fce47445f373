using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Mongo.Tests.Operations;

public sealed class BatchSplittingTests
{
    [Fact]
    public async Task InsertMany_IsSplitByMaxWriteBatchSize_InOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        server.HelloReply.Set("maxWriteBatchSize", 3);
        await using var client = Scripted.Client(server);
        var documents = Enumerable.Range(0, 7).Select(Scripted.Doc).ToList();

        var result = await client.GetDatabase("app").GetCollection("c").InsertManyAsync(documents, cancellationToken: ct);

        var inserts = server.Commands.Where(r => r.CommandName == "insert").ToList();
        Assert.Equal([3, 3, 1], inserts.Select(r => r.Sequence("documents").Count));
        Assert.Equal(documents, inserts.SelectMany(r => r.Sequence("documents")));
        Assert.All(inserts, r => Assert.Equal("c", r.Body["insert"].AsString));
        Assert.All(inserts, r => Assert.True(r.Body["ordered"].AsBoolean));
        Assert.All(inserts, r => Assert.Equal(1, r.ConnectionId));
        Assert.Equal(7, result.InsertedCount);
        Assert.Equal(documents.Select(d => d["_id"]), result.InsertedIds);
    }

    [Fact]
    public async Task InsertMany_IsSplitByMaxMessageSizeBytes_PackingEachMessageFully()
    {
        const int limit = 2_000;
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        server.HelloReply.Set("maxMessageSizeBytes", limit);
        await using var client = Scripted.Client(server);
        var documents = Enumerable.Range(0, 20).Select(i => new BsonDocument { { "_id", i }, { "pad", new string('p', 150 + (i * 7)) } }).ToList();

        await client.GetDatabase("app").GetCollection("c").InsertManyAsync(documents, cancellationToken: ct);

        var inserts = server.Commands.Where(r => r.CommandName == "insert").ToList();
        Assert.True(inserts.Count > 2);
        Assert.Equal(documents, inserts.SelectMany(r => r.Sequence("documents")));
        for (var i = 0; i < inserts.Count; i++)
        {
            var size = WireMessageCodec.ToBytes(inserts[i].Message).Length;
            Assert.True(size <= limit, $"batch {i} is {size} bytes");
            if (i + 1 < inserts.Count)
            {
                // Greedy: the next batch's first document would not have fitted.
                var next = inserts[i + 1].Sequence("documents")[0];
                var grown = new OpMsgMessage(inserts[i].Body, [new DocumentSequence("documents", [.. inserts[i].Sequence("documents"), next])]);
                Assert.True(WireMessageCodec.ToBytes(grown).Length > limit, $"batch {i} could have held one more document");
            }
        }
    }

    [Fact]
    public async Task DocumentTooLargeForAnyMessage_IsRefusedBeforeAnythingIsSent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        server.HelloReply.Set("maxMessageSizeBytes", 1_000);
        await using var client = Scripted.Client(server);
        var documents = new[] { Scripted.Doc(1), new BsonDocument { { "_id", 2 }, { "pad", new string('p', 2_000) } } };

        var error = await Assert.ThrowsAsync<MongoClientException>(
            () => client.GetDatabase("app").GetCollection("c").InsertManyAsync(documents, cancellationToken: ct));

        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, r => r.CommandName == "insert");
    }

    [Fact]
    public async Task DocumentAboveMaxBsonObjectSize_IsRefusedBeforeAnythingIsSent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        server.HelloReply.Set("maxBsonObjectSize", 100);
        await using var client = Scripted.Client(server);
        var documents = new[] { Scripted.Doc(1), Scripted.Doc(2), new BsonDocument { { "_id", 3 }, { "pad", new string('p', 100) } } };

        var error = await Assert.ThrowsAsync<MongoClientException>(
            () => client.GetDatabase("app").GetCollection("c").InsertManyAsync(documents, cancellationToken: ct));

        Assert.Contains("index 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, r => r.CommandName == "insert");
    }

    [Fact]
    public async Task Unordered_AttemptsEveryBatch_AndShiftsErrorIndexesToTheCallersList()
    {
        var ct = TestContext.Current.CancellationToken;
        var batch = 0;
        await using var server = ScriptedMongoServer.Start(r =>
        {
            if (r.CommandName != "insert")
            {
                return null;
            }

            // The second batch refuses its first document (caller's index 2).
            return Interlocked.Increment(ref batch) == 2
                ? ScriptedResponse.Ok(new BsonDocument
                {
                    { "n", 1 },
                    { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "errmsg", "dup" } } } },
                })
                : Scripted.WriteOk(r, "documents");
        });
        server.HelloReply.Set("maxWriteBatchSize", 2);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoBulkWriteException>(() => client.GetDatabase("app").GetCollection("c")
            .InsertManyAsync(Enumerable.Range(0, 5).Select(Scripted.Doc), new InsertManyOptions { IsOrdered = false }, ct));

        Assert.Equal(3, server.Commands.Count(r => r.CommandName == "insert"));
        Assert.All(server.Commands.Where(r => r.CommandName == "insert"), r => Assert.False(r.Body["ordered"].AsBoolean));
        Assert.Equal(2, Assert.Single(error.WriteErrors).Index);
        Assert.Equal(4, error.InsertedCount);
        Assert.Equal(0, error.UnprocessedCount);
    }

    [Fact]
    public async Task Ordered_StopsAfterTheBatchWithAWriteError()
    {
        var ct = TestContext.Current.CancellationToken;
        var batch = 0;
        await using var server = ScriptedMongoServer.Start(r =>
        {
            if (r.CommandName != "insert")
            {
                return null;
            }

            return Interlocked.Increment(ref batch) == 2
                ? ScriptedResponse.Ok(new BsonDocument
                {
                    { "n", 0 },
                    { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 11000 }, { "errmsg", "dup" } } } },
                })
                : Scripted.WriteOk(r, "documents");
        });
        server.HelloReply.Set("maxWriteBatchSize", 2);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoBulkWriteException>(() => client.GetDatabase("app").GetCollection("c")
            .InsertManyAsync(Enumerable.Range(0, 6).Select(Scripted.Doc), cancellationToken: ct));

        Assert.Equal(2, server.Commands.Count(r => r.CommandName == "insert"));
        Assert.Equal(2, Assert.Single(error.WriteErrors).Index);
        Assert.Equal(2, error.InsertedCount);
        Assert.Equal(3, error.UnprocessedCount);
    }

    [Fact]
    public async Task InsertOne_WithoutId_GetsAnObjectIdAsFirstField()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        await using var client = Scripted.Client(server);
        var document = new BsonDocument("name", "n1");

        var result = await client.GetDatabase("app").GetCollection("c").InsertOneAsync(document, cancellationToken: ct);

        var sent = Assert.Single(server.Commands.Single(r => r.CommandName == "insert").Sequence("documents"));
        Assert.Equal("_id", sent[0].Name);
        Assert.Equal(BsonType.ObjectId, sent[0].Value.Type);
        Assert.Equal(sent["_id"], result.InsertedId);
        Assert.Equal(result.InsertedId, document["_id"]);
        Assert.True(result.IsAcknowledged);
        Assert.False(server.Commands.Single(r => r.CommandName == "insert").Body.Contains("documents"));
    }
}
