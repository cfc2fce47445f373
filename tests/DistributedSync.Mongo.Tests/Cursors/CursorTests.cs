using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Cursors;

public sealed class CursorTests
{
    private const long CursorId = 4242;

    /// <summary>find returns documents 0-1; each getMore two more; the batch holding document 4 is the last.</summary>
    private static Func<ScriptedRequest, ScriptedResponse?> FiveDocuments()
    {
        var getMores = 0;
        return r => r.CommandName switch
        {
            "find" => Scripted.Cursor(CursorId, "app.c", "firstBatch", Scripted.Doc(0), Scripted.Doc(1)),
            "getMore" when r.Body["getMore"].AsInt64 == CursorId => Interlocked.Increment(ref getMores) switch
            {
                1 => Scripted.Cursor(CursorId, "app.c", "nextBatch", Scripted.Doc(2), Scripted.Doc(3)),
                _ => Scripted.Cursor(0, "app.c", "nextBatch", Scripted.Doc(4)),
            },
            "killCursors" => ScriptedResponse.Ok(new BsonDocument("cursorsKilled", new BsonArray { CursorId })),
            _ => null,
        };
    }

    [Fact]
    public async Task Enumeration_IssuesGetMoreUntilTheCursorIsExhausted_WithoutKillCursors()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(FiveDocuments());
        await using var client = Scripted.Client(server);
        var collection = client.GetDatabase("app").GetCollection("c");

        var cursor = await collection.FindAsync(new BsonDocument("x", new BsonDocument("$exists", true)), new FindOptions { BatchSize = 2 }, ct);
        var documents = await cursor.ToListAsync(ct);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => (BsonValue)i), documents.Select(d => d["_id"]));
        Assert.Equal(["find", "getMore", "getMore"], server.Commands.Select(r => r.CommandName));
        var getMore = server.Commands[1].Body;
        Assert.Equal(BsonType.Int64, getMore["getMore"].Type);
        Assert.Equal("c", getMore["collection"].AsString);
        Assert.Equal(2, getMore["batchSize"].AsInt32);
        Assert.Equal("app", server.Commands[1].Database);
        Assert.Equal(0, cursor.Id);
    }

    [Fact]
    public async Task EarlyDispose_KillsTheServerCursor()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(FiveDocuments());
        await using var client = Scripted.Client(server);
        var collection = client.GetDatabase("app").GetCollection("c");

        var cursor = await collection.FindAsync(new BsonDocument(), cancellationToken: ct);
        await foreach (var document in cursor.WithCancellation(ct))
        {
            Assert.Equal(0, document["_id"].AsInt32);
            break;
        }

        var kill = server.Commands.Single(r => r.CommandName == "killCursors");
        Assert.Equal("c", kill.Body["killCursors"].AsString);
        Assert.Equal(new BsonArray { CursorId }, kill.Body["cursors"]);
        Assert.Equal("app", kill.Database);
        Assert.DoesNotContain(server.Commands, r => r.CommandName == "getMore");
    }

    [Fact]
    public async Task DisposingAnExhaustedCursor_SendsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find"
            ? Scripted.Cursor(0, "app.c", "firstBatch", Scripted.Doc(1))
            : null);
        await using var client = Scripted.Client(server);

        var cursor = await client.GetDatabase("app").GetCollection("c").FindAsync(new BsonDocument(), cancellationToken: ct);
        Assert.True(await cursor.MoveNextBatchAsync(ct));
        Assert.Single(cursor.CurrentBatch);
        Assert.False(await cursor.MoveNextBatchAsync(ct));
        await cursor.DisposeAsync();

        Assert.Equal(["find"], server.Commands.Select(r => r.CommandName));
    }

    [Fact]
    public async Task FindOptions_AreSentAsFindCommandFields()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? Scripted.Cursor(0, "app.c", "firstBatch") : null);
        await using var client = Scripted.Client(server);
        var options = new FindOptions
        {
            Sort = new BsonDocument("ts", -1),
            Projection = new BsonDocument("_id", 0),
            Skip = 5,
            Limit = 10,
            BatchSize = 3,
            Hint = "ts_-1",
            MaxTime = TimeSpan.FromMilliseconds(1500),
            Comment = "sync",
            ReadConcern = ReadConcern.Majority,
        };

        var cursor = await client.GetDatabase("app").GetCollection("c").FindAsync(new BsonDocument("a", 1), options, ct);
        Assert.Empty(await cursor.ToListAsync(ct));

        var find = server.Commands.Single().Body;
        Assert.Equal("c", find["find"].AsString);
        Assert.Equal(new BsonDocument("a", 1), find["filter"]);
        Assert.Equal(new BsonDocument("ts", -1), find["sort"]);
        Assert.Equal(new BsonDocument("_id", 0), find["projection"]);
        Assert.Equal(5, find["skip"].AsInt32);
        Assert.Equal(10, find["limit"].AsInt32);
        Assert.Equal(3, find["batchSize"].AsInt32);
        Assert.Equal("ts_-1", find["hint"].AsString);
        Assert.Equal(1500, find["maxTimeMS"].AsInt32);
        Assert.Equal("sync", find["comment"].AsString);
        Assert.Equal(new BsonDocument("level", "majority"), find["readConcern"]);
        Assert.False(find.Contains("tailable"));
    }

    [Fact]
    public async Task TailableAwait_SetsFlags_AndGetMoreCarriesMaxAwaitTime_UntilCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var getMoreCount = 0;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName switch
        {
            "find" => Scripted.Cursor(CursorId, "local.oplog", "firstBatch", Scripted.Doc(1)),
            "getMore" => Interlocked.Increment(ref getMoreCount) < 3
                ? Scripted.Cursor(CursorId, "local.oplog", "nextBatch")
                : Scripted.Cursor(CursorId, "local.oplog", "nextBatch", Scripted.Doc(2)),
            "killCursors" => ScriptedResponse.Ok(),
            _ => null,
        });
        await using var client = Scripted.Client(server);
        var options = new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromMilliseconds(250) };

        var cursor = await client.GetDatabase("local").GetCollection("oplog").FindAsync(new BsonDocument(), options, ct);
        var seen = new List<int>();
        await foreach (var document in cursor.WithCancellation(ct))
        {
            seen.Add(document["_id"].AsInt32);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([1, 2], seen);
        var find = server.Commands[0].Body;
        Assert.True(find["tailable"].AsBoolean);
        Assert.True(find["awaitData"].AsBoolean);
        var getMores = server.Commands.Where(r => r.CommandName == "getMore").ToList();
        Assert.Equal(3, getMores.Count);
        Assert.All(getMores, g => Assert.Equal(250, g.Body["maxTimeMS"].AsInt32));
        Assert.Single(server.Commands, r => r.CommandName == "killCursors");
    }

    [Fact]
    public async Task Limit_CapsTheGetMoreBatchSize()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName switch
        {
            "find" => Scripted.Cursor(CursorId, "app.c", "firstBatch", Scripted.Doc(0), Scripted.Doc(1)),
            "getMore" => Scripted.Cursor(0, "app.c", "nextBatch", Scripted.Doc(2)),
            _ => null,
        });
        await using var client = Scripted.Client(server);

        var cursor = await client.GetDatabase("app").GetCollection("c").FindAsync(new BsonDocument(), new FindOptions { Limit = 3, BatchSize = 2 }, ct);
        Assert.Equal(3, (await cursor.ToListAsync(ct)).Count);

        Assert.Equal(1, server.Commands.Single(r => r.CommandName == "getMore").Body["batchSize"].AsInt32);
    }

    [Fact]
    public async Task ListCollections_GetMoreUsesTheCommandNamespace()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName switch
        {
            "listCollections" => Scripted.Cursor(CursorId, "app.$cmd.listCollections", "firstBatch", new BsonDocument("name", "a")),
            "getMore" => Scripted.Cursor(0, "app.$cmd.listCollections", "nextBatch", new BsonDocument("name", "b")),
            _ => null,
        });
        await using var client = Scripted.Client(server);

        var names = await client.GetDatabase("app").ListCollectionNamesAsync(cancellationToken: ct);

        Assert.Equal(["a", "b"], names);
        Assert.Equal("$cmd.listCollections", server.Commands.Single(r => r.CommandName == "getMore").Body["collection"].AsString);
        Assert.True(server.Commands[0].Body["nameOnly"].AsBoolean);
    }

    [Fact]
    public async Task CursorNotFound_OnGetMore_SurfacesAsCommandError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName switch
        {
            "find" => Scripted.Cursor(CursorId, "app.c", "firstBatch", Scripted.Doc(0)),
            "getMore" => ScriptedResponse.Error(43, "CursorNotFound", "cursor id 4242 not found"),
            _ => null,
        });
        await using var client = Scripted.Client(server);
        var cursor = await client.GetDatabase("app").GetCollection("c").FindAsync(new BsonDocument(), cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => cursor.ToListAsync(ct));

        Assert.Equal(43, error.Code);
        Assert.Equal("getMore", error.CommandName);
    }
}
