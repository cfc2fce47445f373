using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Pooling;

public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task ExhaustedPool_WaitQueueTimesOut_WithoutOpeningMoreConnections()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "maxPoolSize=1&waitQueueTimeoutMS=200");
        var db = client.GetDatabase("app");
        using var cancelFind = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var find = db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: cancelFind.Token);
        await server.WaitUntilAsync(() => server.Commands.Count == 1, Scripted.Deadline, ct);

        var error = await Assert.ThrowsAsync<MongoTimeoutException>(() => db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct));

        Assert.Equal(MongoTimeoutKind.WaitQueue, error.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Limit);
        Assert.Equal(1, server.AcceptedConnections);
        Assert.Single(server.Commands);
        await cancelFind.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
    }

    [Fact]
    public async Task ServerSelectionTimeoutShorterThanWaitQueueTimeout_BoundsTheWait()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "maxPoolSize=1&serverSelectionTimeoutMS=150");
        var db = client.GetDatabase("app");
        using var cancelFind = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var find = db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: cancelFind.Token);
        await server.WaitUntilAsync(() => server.Commands.Count == 1, Scripted.Deadline, ct);

        var error = await Assert.ThrowsAsync<MongoTimeoutException>(() => db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct));

        Assert.Equal(MongoTimeoutKind.ServerSelection, error.Kind);
        await cancelFind.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
    }

    [Fact]
    public async Task Waiter_GetsTheConnectionWhenItIsReturned()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "slow"
            ? ScriptedResponse.Delayed(TimeSpan.FromMilliseconds(150), ScriptedResponse.Ok())
            : null);
        await using var client = Scripted.Client(server, "maxPoolSize=1&waitQueueTimeoutMS=5000");
        var db = client.GetDatabase("app");

        var slow = db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct);
        await server.WaitUntilAsync(() => server.Commands.Count == 1, Scripted.Deadline, ct);
        var waiting = db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        await Task.WhenAll(slow, waiting);

        Assert.Equal(1, server.AcceptedConnections);
        Assert.Equal(["slow", "ping"], server.Commands.Select(r => r.CommandName));
    }

    [Fact]
    public async Task CancelledWaiter_LeavesTheQueue_WithoutLeakingAPermit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "slow"
            ? ScriptedResponse.Delayed(TimeSpan.FromMilliseconds(600), ScriptedResponse.Ok())
            : null);
        await using var client = Scripted.Client(server, "maxPoolSize=1&waitQueueTimeoutMS=5000");
        var db = client.GetDatabase("app");
        var slow = db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct);
        await server.WaitUntilAsync(() => server.Commands.Count == 1, Scripted.Deadline, ct);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waiting = db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: cts.Token);
        Assert.Equal(1, client.Executor.Pool.WaitQueueLength);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, client.Executor.Pool.WaitQueueLength);
        await slow;

        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task IdleConnection_OlderThanMaxIdleTime_IsClosedInsteadOfReused()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server, "maxIdleTimeMS=60000", clock);
        var db = client.GetDatabase("app");
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        clock.Advance(TimeSpan.FromSeconds(30));
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(1, server.AcceptedConnections);

        clock.Advance(TimeSpan.FromSeconds(61));
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal([1L, 1L, 2L], server.Commands.Select(r => r.ConnectionId));
        await server.WaitUntilAsync(() => !server.IsConnectionOpen(1), Scripted.Deadline, ct);
    }

    [Fact]
    public async Task IdleConnectionClosedByTheServer_IsDiscardedAtCheckout_NotUsed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        server.CloseConnection(1);
        await server.WaitUntilAsync(() => !server.IsConnectionOpen(1), Scripted.Deadline, ct);
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Equal([1L, 2L], server.Commands.Select(r => r.ConnectionId));
        Assert.Equal(1, client.Executor.Pool.TotalCount);
    }

    [Fact]
    public async Task MinPoolSize_IsFilledInTheBackground()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server, "minPoolSize=2&maxPoolSize=5");

        await server.WaitUntilAsync(() => server.AcceptedConnections == 2 && client.Executor.Pool.IdleCount == 2, Scripted.Deadline, ct);

        await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal(2, client.Executor.Pool.TotalCount);
    }

    [Fact]
    public async Task ConcurrentOperations_NeverExceedMaxPoolSize()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "slow"
            ? ScriptedResponse.Delayed(TimeSpan.FromMilliseconds(20), ScriptedResponse.Ok())
            : null);
        await using var client = Scripted.Client(server, "maxPoolSize=3&waitQueueTimeoutMS=10000");
        var db = client.GetDatabase("app");

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct)));

        Assert.Equal(30, server.Commands.Count);
        Assert.True(server.AcceptedConnections <= 3, $"opened {server.AcceptedConnections} connections");
        Assert.True(client.Executor.Pool.TotalCount <= 3);
    }
}
