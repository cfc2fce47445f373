using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Operations;

/// <summary>What each collection method sends, and how it reads the reply.</summary>
public sealed class CrudCommandTests
{
    private static (ScriptedMongoServer Server, MongoClient Client, MongoCollection Collection) Start(Func<ScriptedRequest, ScriptedResponse?> handler)
    {
        var server = ScriptedMongoServer.Start(handler);
        var client = Scripted.Client(server);
        return (server, client, client.GetDatabase("app").GetCollection("c"));
    }

    [Fact]
    public async Task UpdateOne_Upsert_SendsOneStatement_AndReadsTheUpsertedId()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "update"
            ? ScriptedResponse.Ok(new BsonDocument { { "n", 1 }, { "nModified", 0 }, { "upserted", new BsonArray { new BsonDocument { { "index", 0 }, { "_id", 77 } } } } })
            : null);
        await using (server)
        await using (client)
        {
            var result = await collection.UpdateOneAsync(
                new BsonDocument("k", 1),
                new BsonDocument("$set", new BsonDocument("v", 2)),
                new UpdateOptions { IsUpsert = true, WriteConcern = new WriteConcern { WMode = "majority", WTimeout = TimeSpan.FromSeconds(5), Journal = true } },
                ct);

            Assert.Equal(0, result.MatchedCount);
            Assert.Equal(0, result.ModifiedCount);
            Assert.Equal(77, result.UpsertedId!.AsInt32);
            var update = server.Commands.Single(r => r.CommandName == "update");
            Assert.Equal("c", update.Body["update"].AsString);
            Assert.Equal(new BsonDocument { { "w", "majority" }, { "j", true }, { "wtimeout", 5000L } }, update.Body["writeConcern"]);
            var statement = Assert.Single(update.Sequence("updates"));
            Assert.Equal(new BsonDocument { { "q", new BsonDocument("k", 1) }, { "u", new BsonDocument("$set", new BsonDocument("v", 2)) }, { "upsert", true } }, statement);
        }
    }

    [Fact]
    public async Task UpdateMany_WithPipeline_SetsMulti_AndCountsMatches()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "update"
            ? ScriptedResponse.Ok(new BsonDocument { { "n", 5 }, { "nModified", 4 } })
            : null);
        await using (server)
        await using (client)
        {
            var pipeline = new BsonArray { new BsonDocument("$set", new BsonDocument("total", new BsonDocument("$add", new BsonArray { "$a", "$b" }))) };
            var result = await collection.UpdateManyAsync(new BsonDocument(), pipeline, cancellationToken: ct);

            Assert.Equal(5, result.MatchedCount);
            Assert.Equal(4, result.ModifiedCount);
            Assert.Null(result.UpsertedId);
            var statement = Assert.Single(server.Commands.Single(r => r.CommandName == "update").Sequence("updates"));
            Assert.Equal(pipeline, statement["u"]);
            Assert.True(statement["multi"].AsBoolean);
        }
    }

    [Fact]
    public async Task UpdateAndReplace_ValidateTheirDocumentsClientSide()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(_ => null);
        await using (server)
        await using (client)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => collection.UpdateOneAsync(new BsonDocument(), new BsonDocument("v", 1), cancellationToken: ct));
            await Assert.ThrowsAsync<ArgumentException>(() => collection.ReplaceOneAsync(new BsonDocument(), new BsonDocument("$set", new BsonDocument("v", 1)), cancellationToken: ct));
            await Assert.ThrowsAsync<ArgumentException>(() => collection.UpdateManyAsync(new BsonDocument(), new BsonArray(), cancellationToken: ct));
            Assert.Empty(server.Requests);
        }
    }

    [Fact]
    public async Task ReplaceOne_And_Deletes_SendTheirStatements()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName switch
        {
            "update" => ScriptedResponse.Ok(new BsonDocument { { "n", 1 }, { "nModified", 1 } }),
            "delete" => ScriptedResponse.Ok(new BsonDocument("n", r.Sequence("deletes")[0]["limit"].AsInt32 == 1 ? 1 : 9)),
            _ => null,
        });
        await using (server)
        await using (client)
        {
            var replaced = await collection.ReplaceOneAsync(new BsonDocument("_id", 1), new BsonDocument { { "_id", 1 }, { "v", 3 } }, cancellationToken: ct);
            var one = await collection.DeleteOneAsync(new BsonDocument("v", 3), cancellationToken: ct);
            var many = await collection.DeleteManyAsync(new BsonDocument(), new DeleteOptions { Hint = "v_1" }, ct);

            Assert.Equal(1, replaced.ModifiedCount);
            Assert.Equal(1, one.DeletedCount);
            Assert.Equal(9, many.DeletedCount);
            var replace = Assert.Single(server.Commands.Single(r => r.CommandName == "update").Sequence("updates"));
            Assert.False(replace.Contains("multi"));
            var deletes = server.Commands.Where(r => r.CommandName == "delete").Select(r => Assert.Single(r.Sequence("deletes"))).ToList();
            Assert.Equal(new BsonDocument { { "q", new BsonDocument("v", 3) }, { "limit", 1 } }, deletes[0]);
            Assert.Equal(new BsonDocument { { "q", new BsonDocument() }, { "limit", 0 }, { "hint", "v_1" } }, deletes[1]);
        }
    }

    [Fact]
    public async Task FindOneAndUpdate_SendsFindAndModify_AndReturnsTheValue()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "findAndModify"
            ? ScriptedResponse.Ok(new BsonDocument { { "lastErrorObject", new BsonDocument("n", 1) }, { "value", new BsonDocument { { "_id", 1 }, { "n", 6 } } } })
            : null);
        await using (server)
        await using (client)
        {
            var options = new FindOneAndUpdateOptions
            {
                ReturnDocument = ReturnDocument.After,
                IsUpsert = true,
                Sort = new BsonDocument("n", 1),
                Projection = new BsonDocument("n", 1),
            };
            var value = await collection.FindOneAndUpdateAsync(new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1)), options, ct);

            Assert.Equal(6, value!["n"].AsInt32);
            var command = server.Commands.Single().Body;
            Assert.Equal("c", command["findAndModify"].AsString);
            Assert.Equal(new BsonDocument("_id", 1), command["query"]);
            Assert.Equal(new BsonDocument("$inc", new BsonDocument("n", 1)), command["update"]);
            Assert.True(command["new"].AsBoolean);
            Assert.True(command["upsert"].AsBoolean);
            Assert.Equal(new BsonDocument("n", 1), command["sort"]);
            Assert.Equal(new BsonDocument("n", 1), command["fields"]);
        }
    }

    [Fact]
    public async Task FindOneAndDelete_And_Replace_ReturnNullWhenNothingMatched()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "findAndModify"
            ? ScriptedResponse.Ok(new BsonDocument { { "lastErrorObject", new BsonDocument("n", 0) }, { "value", BsonNull.Value } })
            : null);
        await using (server)
        await using (client)
        {
            Assert.Null(await collection.FindOneAndDeleteAsync(new BsonDocument("_id", 9), cancellationToken: ct));
            Assert.Null(await collection.FindOneAndReplaceAsync(new BsonDocument("_id", 9), new BsonDocument("v", 1), cancellationToken: ct));

            Assert.True(server.Commands[0].Body["remove"].AsBoolean);
            Assert.Equal(new BsonDocument("v", 1), server.Commands[1].Body["update"]);
            Assert.False(server.Commands[1].Body["new"].AsBoolean);
        }
    }

    [Fact]
    public async Task CountDocuments_AggregatesWithMatchSkipLimitGroup()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "aggregate"
            ? Scripted.Cursor(0, "app.c", "firstBatch", new BsonDocument { { "_id", 1 }, { "n", 42 } })
            : null);
        await using (server)
        await using (client)
        {
            var count = await collection.CountDocumentsAsync(new BsonDocument("a", 1), new CountOptions { Skip = 2, Limit = 100 }, ct);

            Assert.Equal(42, count);
            var command = server.Commands.Single().Body;
            Assert.Equal("c", command["aggregate"].AsString);
            Assert.Equal(new BsonDocument(), command["cursor"]);
            var pipeline = command["pipeline"].AsArray;
            Assert.Equal(["$match", "$skip", "$limit", "$group"], pipeline.Select(s => s.AsDocument[0].Name));
            Assert.Equal(new BsonDocument("a", 1), pipeline[0].AsDocument["$match"]);
            Assert.Equal(new BsonDocument { { "_id", 1 }, { "n", new BsonDocument("$sum", 1) } }, pipeline[3].AsDocument["$group"]);
        }
    }

    [Fact]
    public async Task CountDocuments_OfNothing_IsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName == "aggregate" ? Scripted.Cursor(0, "app.c", "firstBatch") : null);
        await using (server)
        await using (client)
        {
            Assert.Equal(0, await collection.CountDocumentsAsync(new BsonDocument(), cancellationToken: ct));
        }
    }

    [Fact]
    public async Task EstimatedCount_Distinct_UseTheirCommands()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName switch
        {
            "count" => ScriptedResponse.Ok(new BsonDocument("n", 12L)),
            "distinct" => ScriptedResponse.Ok(new BsonDocument("values", new BsonArray { "a", "b" })),
            _ => null,
        });
        await using (server)
        await using (client)
        {
            Assert.Equal(12, await collection.EstimatedDocumentCountAsync(cancellationToken: ct));
            Assert.Equal(["a", "b"], (await collection.DistinctAsync("k", new BsonDocument("x", 1), cancellationToken: ct)).Select(v => v.AsString));

            Assert.Equal(new BsonDocument { { "count", "c" }, { "$db", "app" } }, server.Commands[0].Body);
            Assert.Equal(new BsonDocument { { "distinct", "c" }, { "key", "k" }, { "query", new BsonDocument("x", 1) }, { "$db", "app" } }, server.Commands[1].Body);
        }
    }

    [Fact]
    public async Task CreateCappedCollection_Drop_AndIndexes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, collection) = Start(r => r.CommandName switch
        {
            "create" or "createIndexes" or "dropIndexes" => ScriptedResponse.Ok(),
            "drop" => ScriptedResponse.Error(26, "NamespaceNotFound", "ns not found"),
            "listIndexes" => ScriptedResponse.Error(26, "NamespaceNotFound", "ns does not exist"),
            _ => null,
        });
        await using (server)
        await using (client)
        {
            await collection.Database.CreateCollectionAsync("log", new CreateCollectionOptions { Capped = true, MaxSize = 1 << 20, MaxDocuments = 1000 }, ct);
            await collection.DropAsync(cancellationToken: ct);
            var names = await collection.CreateIndexesAsync(
                [new CreateIndexModel(new BsonDocument { { "a", 1 }, { "b", -1 } }), new CreateIndexModel(new BsonDocument("ts", 1)) { Name = "by_ts", Unique = true }],
                cancellationToken: ct);
            var indexes = await collection.ListIndexesAsync(ct);
            await collection.DropIndexAsync("by_ts", cancellationToken: ct);

            Assert.Equal(["a_1_b_-1", "by_ts"], names);
            Assert.Empty(indexes);
            var create = server.Commands[0].Body;
            Assert.Equal(new BsonDocument { { "create", "log" }, { "capped", true }, { "size", 1L << 20 }, { "max", 1000L }, { "$db", "app" } }, create);
            var specs = server.Commands.Single(r => r.CommandName == "createIndexes").Body["indexes"].AsArray;
            Assert.Equal(new BsonDocument { { "key", new BsonDocument { { "a", 1 }, { "b", -1 } } }, { "name", "a_1_b_-1" } }, specs[0]);
            Assert.True(specs[1].AsDocument["unique"].AsBoolean);
            Assert.Equal("by_ts", server.Commands.Single(r => r.CommandName == "dropIndexes").Body["index"].AsString);
        }
    }

    [Fact]
    public async Task ListDatabases_RunsOnAdmin()
    {
        var ct = TestContext.Current.CancellationToken;
        var (server, client, _) = Start(r => r.CommandName == "listDatabases"
            ? ScriptedResponse.Ok(new BsonDocument("databases", new BsonArray { new BsonDocument("name", "admin"), new BsonDocument("name", "app") }))
            : null);
        await using (server)
        await using (client)
        {
            Assert.Equal(["admin", "app"], await client.ListDatabaseNamesAsync(ct));
            Assert.Equal("admin", server.Commands.Single().Database);
        }
    }

    [Fact]
    public async Task DefaultWriteConcern_ComesFromTheConnectionString()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert" ? Scripted.WriteOk(r, "documents") : null);
        await using var client = Scripted.Client(server, "w=majority&wTimeoutMS=2500&journal=true");

        await client.GetDatabase("app").GetCollection("c").InsertOneAsync(Scripted.Doc(1), cancellationToken: ct);

        Assert.Equal(new BsonDocument { { "w", "majority" }, { "j", true }, { "wtimeout", 2500L } }, server.Commands.Single().Body["writeConcern"]);
    }

    [Fact]
    public async Task UnacknowledgedWrite_ReportsNotAcknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "delete" ? ScriptedResponse.Ok() : null);
        await using var client = Scripted.Client(server);

        var result = await client.GetDatabase("app").GetCollection("c")
            .DeleteManyAsync(new BsonDocument(), new DeleteOptions { WriteConcern = WriteConcern.Unacknowledged }, ct);

        Assert.False(result.IsAcknowledged);
        Assert.Equal(new BsonDocument("w", 0), server.Commands.Single().Body["writeConcern"]);
    }
}
