using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Mongo.Connections;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Connections;

public sealed class HandshakeTests
{
    [Fact]
    public async Task FirstCommand_IsPrecededByHelloWithClientMetadata_OnAdmin()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server, "appName=sync-node-1");

        await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        var requests = server.Requests;
        Assert.Equal(["hello", "ping"], requests.Select(r => r.CommandName));
        var hello = requests[0];
        Assert.Equal("admin", hello.Database);
        Assert.Equal(1, hello.Body["hello"].AsInt32);
        Assert.True(hello.Body["helloOk"].AsBoolean);
        Assert.False(hello.Body.Contains("saslSupportedMechs"));
        Assert.False(hello.Body.Contains("speculativeAuthenticate"));

        var metadata = hello.Body["client"].AsDocument;
        Assert.Equal("sync-node-1", metadata["application"].AsDocument["name"].AsString);
        Assert.Equal(ClientMetadata.DriverName, metadata["driver"].AsDocument["name"].AsString);
        Assert.False(string.IsNullOrEmpty(metadata["driver"].AsDocument["version"].AsString));
        Assert.Contains(metadata["os"].AsDocument["type"].AsString, new[] { "Linux", "Darwin", "Windows", "BSD", "Unknown" });
        Assert.Equal(ClientMetadata.OsType(), metadata["os"].AsDocument["type"].AsString);
        Assert.StartsWith(".NET", metadata["platform"].AsString, StringComparison.Ordinal);
        Assert.True(BsonCodec.GetEncodedSize(metadata) <= ClientMetadata.MaxSize);
        Assert.Equal("app", requests[1].Database);
    }

    [Fact]
    public async Task LaterCommands_ReuseTheConnection_WithoutAnotherHello()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        await using var client = Scripted.Client(server);
        var db = client.GetDatabase("app");

        for (var i = 0; i < 3; i++)
        {
            await db.RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);
        }

        Assert.Equal(1, server.AcceptedConnections);
        Assert.Single(server.Requests, r => r.CommandName == "hello");
        Assert.All(server.Commands, r => Assert.Equal(1, r.ConnectionId));
    }

    [Fact]
    public async Task HelloReply_IsReadIntoTheServerDescription()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        server.HelloReply.Set("maxWireVersion", 25).Set("minWireVersion", 0)
            .Set("maxBsonObjectSize", 1000).Set("maxMessageSizeBytes", 5000).Set("maxWriteBatchSize", 7)
            .Set("logicalSessionTimeoutMinutes", 30);
        await using var client = Scripted.Client(server);

        Assert.Null(client.ServerDescription);
        var description = await client.ConnectAsync(ct);

        Assert.Equal(server.Endpoint, description.Endpoint);
        Assert.Equal(25, description.MaxWireVersion);
        Assert.Equal(1000, description.MaxBsonObjectSize);
        Assert.Equal(5000, description.MaxMessageSizeBytes);
        Assert.Equal(7, description.MaxWriteBatchSize);
        Assert.Equal(30, description.LogicalSessionTimeoutMinutes);
        Assert.True(description.IsWritablePrimary);
        Assert.Equal(1L, description.ServerConnectionId);
        Assert.True(description.AverageRoundTripTime > TimeSpan.Zero);
        Assert.Same(description.HelloReply, client.ServerDescription!.HelloReply);
    }

    [Fact]
    public void HelloReplyWithoutLimits_UsesTheDocumentedDefaults()
    {
        var description = ServerDescription.FromHelloReply("h:1", new BsonDocument { { "ok", 1 }, { "maxWireVersion", 17 } }, TimeSpan.Zero, DateTimeOffset.UnixEpoch);

        Assert.Equal(16 * 1024 * 1024, description.MaxBsonObjectSize);
        Assert.Equal(48_000_000, description.MaxMessageSizeBytes);
        Assert.Equal(100_000, description.MaxWriteBatchSize);
        Assert.Null(description.LogicalSessionTimeoutMinutes);
        Assert.False(description.IsWritablePrimary);
    }

    [Fact]
    public async Task ServerTooOld_IsRefused_AndItsConnectionClosed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start();
        server.HelloReply.Set("maxWireVersion", 5);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoClientException>(() => client.ConnectAsync(ct));

        Assert.Contains("wire version", error.Message, StringComparison.Ordinal);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        Assert.Equal(0, client.Executor.Pool.TotalCount);
    }

    [Fact]
    public async Task HelloRefused_SurfacesAsCommandError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "hello"
            ? ScriptedResponse.Error(13, "Unauthorized", "not allowed")
            : null);
        await using var client = Scripted.Client(server);

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.ConnectAsync(ct));

        Assert.Equal(13, error.Code);
        Assert.Equal("hello", error.CommandName);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
    }

    [Fact]
    public void ClientMetadata_WithLongestApplicationName_StaysWithin512Bytes()
    {
        var metadata = ClientMetadata.Create(new string('a', ClientMetadata.MaxApplicationNameBytes));

        Assert.True(BsonCodec.GetEncodedSize(metadata) <= ClientMetadata.MaxSize);
        Assert.Equal(new string('a', 128), metadata["application"].AsDocument["name"].AsString);
        Assert.Throws<ArgumentException>(() => ClientMetadata.Create(new string('a', 129)));
    }

    [Fact]
    public async Task Ping_MeasuresRoundTrip_OnADedicatedConnection_EvenWhenThePoolIsBusy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "find" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "maxPoolSize=1&waitQueueTimeoutMS=100");
        using var cancelFind = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var find = client.GetDatabase("app").RunCommandAsync(new BsonDocument("find", "c"), cancellationToken: cancelFind.Token);
        await server.WaitUntilAsync(() => server.Commands.Any(r => r.CommandName == "find"), Scripted.Deadline, ct);

        var rtt = await client.PingAsync(ct);

        Assert.True(rtt > TimeSpan.Zero);
        var ping = Assert.Single(server.Commands, r => r.CommandName == "ping");
        Assert.Equal("admin", ping.Database);
        Assert.NotEqual(server.Commands.Single(r => r.CommandName == "find").ConnectionId, ping.ConnectionId);
        Assert.True(client.ServerDescription!.AverageRoundTripTime > TimeSpan.Zero);

        await cancelFind.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
    }

    [Fact]
    public async Task Ping_ReusesItsConnection_AndReplacesItAfterItBreaks()
    {
        var ct = TestContext.Current.CancellationToken;
        var breakNext = 0;
        await using var server = ScriptedMongoServer.Start(r =>
            r.CommandName == "ping" && Interlocked.Exchange(ref breakNext, 0) == 1 ? ScriptedResponse.CloseConnection() : null);
        await using var client = Scripted.Client(server);

        await client.PingAsync(ct);
        await client.PingAsync(ct);
        Assert.Equal(1, server.AcceptedConnections);

        Volatile.Write(ref breakNext, 1);
        await Assert.ThrowsAsync<MongoConnectionException>(() => client.PingAsync(ct));
        await client.PingAsync(ct);

        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal([1L, 1L, 1L, 2L], server.Commands.Select(r => r.ConnectionId));
    }

    [Fact]
    public async Task PingNotAnsweredWithinTheConnectTimeout_TimesOut_AndClearsThePool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = ScriptedMongoServer.Start(r => r.CommandName == "ping" ? ScriptedResponse.Hang() : null);
        await using var client = Scripted.Client(server, "connectTimeoutMS=1500");
        await client.ConnectAsync(ct);
        var generation = client.Executor.Pool.Generation;

        var error = await Assert.ThrowsAsync<MongoTimeoutException>(() => client.PingAsync(ct));

        Assert.Equal(MongoTimeoutKind.Socket, error.Kind);
        Assert.Equal(generation + 1, client.Executor.Pool.Generation);
        Assert.Equal(TimeSpan.Zero, client.ServerDescription!.AverageRoundTripTime);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
    }
}
