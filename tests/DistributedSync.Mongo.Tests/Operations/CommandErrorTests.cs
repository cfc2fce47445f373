using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Operations;

public sealed class CommandErrorTests
{
    [Fact]
    public async Task FailedCommand_CarriesCodeCodeNameMessageLabelsAndReply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find"
            ? ScriptedResponse.Error(50, "MaxTimeMSExpired", "operation exceeded time limit", "TransientTransactionError")
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoCommandException>(
            () => client.GetDatabase("app").RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));

        Assert.Equal("find", error.CommandName);
        Assert.Equal(50, error.Code);
        Assert.Equal("MaxTimeMSExpired", error.CodeName);
        Assert.Equal("operation exceeded time limit", error.ErrorMessage);
        Assert.Equal(["TransientTransactionError"], error.ErrorLabels);
        Assert.Equal(0, error.Reply["ok"].ToDouble());
        Assert.Contains("50", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTimeMSExpired", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MongoException>(error);
    }

    [Fact]
    public async Task CommandError_DoesNotBreakTheConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Error(2, "BadValue", "bad") : null);
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");

        await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.All(server.Commands, r => Assert.Equal(1, r.ConnectionId));
    }

    [Fact]
    public async Task InsertOne_DuplicateKey_IsAWriteExceptionWithTheError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert"
            ? ScriptedResponse.Ok(new BsonDocument
            {
                { "n", 0 },
                { "writeErrors", new BsonArray { new BsonDocument { { "index", 0 }, { "code", 11000 }, { "codeName", "DuplicateKey" }, { "errmsg", "E11000 duplicate key error" } } } },
            })
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoWriteException>(
            () => client.GetDatabase("app").GetCollection("c").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: ct));

        Assert.Equal("app.c", error.Namespace);
        Assert.NotNull(error.WriteError);
        Assert.Equal(11000, error.WriteError.Code);
        Assert.Equal("DuplicateKey", error.WriteError.CodeName);
        Assert.Equal(0, error.WriteError.Index);
        Assert.Null(error.WriteConcernError);
    }

    [Fact]
    public async Task WriteConcernError_OnAnUpdate_IsAWriteExceptionWithoutAWriteError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "update"
            ? ScriptedResponse.Ok(new BsonDocument
            {
                { "n", 1 },
                { "nModified", 1 },
                { "writeConcernError", new BsonDocument { { "code", 64 }, { "codeName", "WriteConcernFailed" }, { "errmsg", "waiting for replication timed out" }, { "errInfo", new BsonDocument("wtimeout", true) } } },
                { "errorLabels", new BsonArray { "RetryableWriteError" } },
            })
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoWriteException>(() => client.GetDatabase("app").GetCollection("c")
            .UpdateOneAsync(new BsonDocument("_id", 1), new BsonDocument("$set", new BsonDocument("a", 1)), cancellationToken: ct));

        Assert.Null(error.WriteError);
        Assert.Equal(64, error.WriteConcernError!.Code);
        Assert.True(error.WriteConcernError.Details!["wtimeout"].AsBoolean);
        Assert.True(error.HasErrorLabel("RetryableWriteError"));
    }

    [Fact]
    public async Task InsertMany_Ordered_ReportsTheFailingIndex_AndWhatWasNotAttempted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "insert"
            ? ScriptedResponse.Ok(new BsonDocument
            {
                { "n", 1 },
                { "writeErrors", new BsonArray { new BsonDocument { { "index", 1 }, { "code", 11000 }, { "errmsg", "dup" } } } },
            })
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoBulkWriteException>(() => client.GetDatabase("app").GetCollection("c")
            .InsertManyAsync([Scripted.Doc(1), Scripted.Doc(1), Scripted.Doc(2)], cancellationToken: ct));

        var writeError = Assert.Single(error.WriteErrors);
        Assert.Equal(1, writeError.Index);
        Assert.Equal(1, error.InsertedCount);
        Assert.Equal(1, error.UnprocessedCount);
        Assert.Empty(error.WriteConcernErrors);
    }

    [Fact]
    public async Task FindOneAndUpdate_WriteConcernError_IsAWriteConcernException()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "findAndModify"
            ? ScriptedResponse.Ok(new BsonDocument
            {
                { "lastErrorObject", new BsonDocument { { "n", 1 }, { "updatedExisting", true } } },
                { "value", new BsonDocument("_id", 1) },
                { "writeConcernError", new BsonDocument { { "code", 100 }, { "codeName", "UnsatisfiableWriteConcern" }, { "errmsg", "Not enough data-bearing nodes" } } },
            })
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoWriteConcernException>(() => client.GetDatabase("app").GetCollection("c")
            .FindOneAndUpdateAsync(new BsonDocument("_id", 1), new BsonDocument("$inc", new BsonDocument("n", 1)), cancellationToken: ct));

        Assert.Equal(100, error.Code);
        Assert.Equal("UnsatisfiableWriteConcern", error.WriteConcernError.CodeName);
        Assert.IsAssignableFrom<MongoCommandException>(error);
    }

    [Fact]
    public async Task ExceptionsAndToString_NeverShowThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "hello" ? ScriptedResponse.CloseConnection() : null);
        const string password = "s3cr3t-Pa55";
        await using var client = new MongoClient($"mongodb://admin:{password}@{server.Endpoint}/?authSource=admin");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => client.ConnectAsync(ct));

        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, client.ToString(), StringComparison.Ordinal);
        Assert.Equal($"MongoClient({server.Endpoint})", client.ToString());
    }
}
