using System.Net;
using System.Net.Sockets;
using DistributedSync.Bson;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Connections;

public sealed class ConnectionFailureTests
{
    [Fact]
    public async Task ServerClosesTheSocket_CallFails_AndTheNextCallGetsAFreshConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "boom" ? ScriptedResponse.CloseConnection() : null);
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => db.RunCommandAsync(new BsonDocument("boom", 1), cancellationToken: ct));
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Equal(server.Endpoint, error.Endpoint);
        Assert.False(error.IsProtocolError);
        Assert.True(error.HasErrorLabel(MongoConnectionException.NetworkErrorLabel));
        Assert.Equal([1L, 1L, 2L], server.Commands.Select(r => r.ConnectionId));
        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal(1, client.Executor.Pool.TotalCount);
    }

    [Fact]
    public async Task NetworkError_ClearsThePool_SoOtherIdleConnectionsAreNotReused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName switch
        {
            "slow" => ScriptedResponse.Delayed(TimeSpan.FromMilliseconds(200), ScriptedResponse.Ok()),
            "boom" => ScriptedResponse.CloseConnection(),
            _ => null,
        });
        await using var client = Scripted.Client(server, "maxPoolSize=2");
        var db = client.GetDatabase("app");
        await Task.WhenAll(
            db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct),
            db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct));
        Assert.Equal(2, client.Executor.Pool.IdleCount);
        var generation = client.Executor.Pool.Generation;

        await Assert.ThrowsAsync<MongoConnectionException>(() => db.RunCommandAsync(new BsonDocument("boom", 1), cancellationToken: ct));

        Assert.Equal(generation + 1, client.Executor.Pool.Generation);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(3, server.Commands.Last().ConnectionId);
    }

    [Fact]
    public async Task CancellingAnInFlightCommand_ClosesItsConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var find = db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: cts.Token);
        await server.WaitUntilAsync(() => server.Commands.Count == 1, Scripted.Deadline, ct);
        var connectionId = server.Commands[0].ConnectionId;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
        await server.WaitUntilAsync(() => !server.IsConnectionOpen(connectionId), Scripted.Deadline, ct);
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.NotEqual(connectionId, server.Commands[^1].ConnectionId);
    }

    [Fact]
    public async Task CancelledBeforeSending_ThrowsWithoutTouchingTheServer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: cts.Token));
        await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Single(server.Commands);
    }

    [Fact]
    public async Task SocketTimeout_FailsTheCall_ClosesTheConnection_ButKeepsThePool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "socketTimeoutMS=1000");
        var db = client.GetDatabase("app");
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        var generation = client.Executor.Pool.Generation;

        var error = await Assert.ThrowsAsync<MongoTimeoutException>(() => db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));

        Assert.Equal(MongoTimeoutKind.Socket, error.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), error.Limit);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        Assert.Equal(generation, client.Executor.Pool.Generation);
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(2, server.Commands[^1].ConnectionId);
    }

    [Fact]
    public async Task GarbageReply_IsAProtocolError_AndTheConnectionIsDiscarded()
    {
        var ct = TestContext.Current.CancellationToken;
        var garbage = new byte[] { 0x20, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0x39, 0x30, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Garbage(garbage) : null);
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));

        Assert.True(error.IsProtocolError);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        Assert.Equal(2, server.Commands[^1].ConnectionId);
    }

    [Fact]
    public async Task ReplyToAnotherRequest_IsAProtocolError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.WrongResponseTo(new BsonDocument("ok", 1)) : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoConnectionException>(
            () => client.GetDatabase("app").RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));

        Assert.True(error.IsProtocolError);
        Assert.Contains("answers request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionClosedMidReply_IsAConnectionError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find"
            ? ScriptedResponse.CloseMidReply(new BsonDocument { { "ok", 1 }, { "padding", new string('x', 200) } })
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoConnectionException>(
            () => client.GetDatabase("app").RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));

        Assert.False(error.IsProtocolError);
        Assert.Equal(0, client.Executor.Pool.TotalCount);
    }

    [Fact]
    public async Task NothingListening_IsAConnectionErrorDuringHandshake()
    {
        var ct = TestContext.Current.CancellationToken;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var client = new MongoClient($"mongodb://127.0.0.1:{port}/?connectTimeoutMS=2000");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => client.ConnectAsync(ct));

        Assert.True(error.DuringHandshake);
        Assert.Equal($"127.0.0.1:{port}", error.Endpoint);
    }

    [Fact]
    public async Task HandshakeNotAnswered_TimesOutWithTheConnectTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "hello" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "connectTimeoutMS=300");

        var error = await Assert.ThrowsAsync<MongoTimeoutException>(() => client.ConnectAsync(ct));

        Assert.Equal(MongoTimeoutKind.Connect, error.Kind);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
    }

    [Fact]
    public async Task ShutdownError_ClearsThePool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find"
            ? ScriptedResponse.Error(91, "ShutdownInProgress", "The server is in quiesce mode and will shut down")
            : null);
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => db.RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: ct));
        await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Equal(91, error.Code);
        Assert.Equal(2, server.Commands[^1].ConnectionId);
    }

    [Fact]
    public async Task DisposedClient_ClosesEveryConnection_AndRefusesNewWork()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "slow"
            ? ScriptedResponse.Delayed(TimeSpan.FromMilliseconds(100), ScriptedResponse.Ok())
            : null);
        var client = Scripted.Client(server);
        var db = client.GetDatabase("app");
        await Task.WhenAll(
            db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct),
            db.RunCommandAsync(new BsonDocument("slow", 1), cancellationToken: ct));
        await client.PingAsync(ct);
        Assert.Equal(3, server.OpenConnections);

        await client.DisposeAsync();

        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct));
    }
}
