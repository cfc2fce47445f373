using DistributedSync.Bson;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

public sealed class HandshakeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hello_over_OP_MSG_has_the_exact_standalone_shape()
    {
        await using var server = await InProcessServer.StartAsync(cancellationToken: Ct);
        await using var client = await server.ConnectAsync(Ct);

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var reply = await client.CommandAsync("admin", new BsonDocument { { "hello", 1 }, { "helloOk", true } }, Ct);

        Assert.Equal(
            ["helloOk", "isWritablePrimary", "maxBsonObjectSize", "maxMessageSizeBytes", "maxWriteBatchSize", "localTime",
             "logicalSessionTimeoutMinutes", "connectionId", "minWireVersion", "maxWireVersion", "readOnly", "ok"],
            reply.Names);
        Assert.Equal(BsonBoolean.True, reply["helloOk"]);
        Assert.Equal(BsonBoolean.True, reply["isWritablePrimary"]);
        Assert.Equal(BsonInt32.Create(16_777_216), reply["maxBsonObjectSize"]);
        Assert.Equal(BsonInt32.Create(48_000_000), reply["maxMessageSizeBytes"]);
        Assert.Equal(BsonInt32.Create(100_000), reply["maxWriteBatchSize"]);
        Assert.Equal(BsonInt32.Create(30), reply["logicalSessionTimeoutMinutes"]);
        Assert.Equal(BsonInt32.Create(1), reply["connectionId"]);
        Assert.Equal(BsonInt32.Create(0), reply["minWireVersion"]);
        Assert.Equal(BsonInt32.Create(21), reply["maxWireVersion"]);
        Assert.Equal(BsonBoolean.False, reply["readOnly"]);
        Assert.Equal(new BsonDouble(1.0), reply["ok"]);
        Assert.InRange(reply["localTime"].AsDateTimeMilliseconds, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task IsMaster_answers_ismaster_and_omits_helloOk_unless_asked()
    {
        await using var server = await InProcessServer.StartAsync(cancellationToken: Ct);
        await using var client = await server.ConnectAsync(Ct);

        var reply = await client.CommandAsync("admin", new BsonDocument("isMaster", 1), Ct);
        var lower = await client.CommandAsync("test", new BsonDocument("ismaster", 1), Ct);

        Assert.Equal(BsonBoolean.True, reply["ismaster"]);
        Assert.False(reply.Contains("isWritablePrimary"));
        Assert.False(reply.Contains("helloOk"));
        Assert.False(reply.Contains("setName"));
        Assert.False(reply.Contains("topologyVersion"));
        Assert.False(reply.Contains("compression"));
        Assert.Equal(BsonBoolean.True, lower["ismaster"]);
    }

    [Fact]
    public async Task Hello_over_OP_QUERY_is_answered_with_OP_REPLY()
    {
        await using var server = await InProcessServer.StartAsync(cancellationToken: Ct);
        await using var client = await server.ConnectAsync(Ct);

        var query = new OpQueryMessage("admin.$cmd", new BsonDocument
        {
            { "isMaster", 1 },
            { "helloOk", true },
            { "client", new BsonDocument("driver", new BsonDocument { { "name", "test" }, { "version", "1" } }) },
        })
        { NumberToReturn = -1, RequestId = 77 };
        await client.SendAsync(query, Ct);
        var reply = Assert.IsType<OpReplyMessage>(await client.ReceiveAsync(Ct));

        Assert.Equal(77, reply.ResponseTo);
        Assert.Equal(0, reply.CursorId);
        Assert.Equal(OpReplyFlags.AwaitCapable, reply.ResponseFlags);
        var body = Assert.Single(reply.Documents);
        Assert.Equal("helloOk", body[0].Name);
        Assert.Equal(BsonBoolean.True, body["ismaster"]);
        Assert.Equal(BsonInt32.Create(21), body["maxWireVersion"]);
        Assert.Equal(new BsonDouble(1.0), body["ok"]);

        // The connection continues with OP_MSG, as drivers do after the first handshake.
        var ping = await client.CommandAsync("admin", new BsonDocument("ping", 1), Ct);
        Assert.Equal(new BsonDouble(1.0), ping["ok"]);
    }

    [Fact]
    public async Task Connection_ids_increase_from_one()
    {
        await using var server = await InProcessServer.StartAsync(cancellationToken: Ct);
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await using var client = await server.ConnectAsync(Ct);
            ids.Add((await client.CommandAsync("admin", new BsonDocument("hello", 1), Ct))["connectionId"].AsInt32);
        }

        Assert.Equal([1, 2, 3], ids);
    }

    [Fact]
    public async Task Client_metadata_may_only_be_sent_in_the_first_hello()
    {
        await using var server = await InProcessServer.StartAsync(cancellationToken: Ct);
        await using var client = await server.ConnectAsync(Ct);
        var metadata = new BsonDocument("driver", new BsonDocument { { "name", "test" }, { "version", "1" } });

        var first = await client.CommandAsync("admin", new BsonDocument { { "hello", 1 }, { "client", metadata } }, Ct);
        var second = await client.CommandAsync("admin", new BsonDocument { { "hello", 1 }, { "client", metadata } }, Ct);
        var third = await client.CommandAsync("admin", new BsonDocument("hello", 1), Ct);

        Assert.Equal(new BsonDouble(1.0), first["ok"]);
        Assert.Equal(new BsonDouble(0.0), second["ok"]);
        Assert.Equal(186, second["code"].AsInt32);
        Assert.Equal("ClientMetadataCannotBeMutated", second["codeName"].AsString);
        Assert.Equal(new BsonDouble(1.0), third["ok"]);
        Assert.Contains(server.Log.RecentLines(), l => l.Contains("\"msg\":\"client metadata\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaslSupportedMechs_is_answered_only_for_an_existing_user()
    {
        var options = new Emulator.Hosting.EmulatorOptions { User = "alice", Password = "pw" };
        await using var server = await InProcessServer.StartAsync(options, Ct);
        await using var client = await server.ConnectAsync(Ct);

        var known = await client.CommandAsync("admin", new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "admin.alice" } }, Ct);
        var unknown = await client.CommandAsync("admin", new BsonDocument { { "hello", 1 }, { "saslSupportedMechs", "admin.bob" } }, Ct);

        Assert.Equal(new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" }, known["saslSupportedMechs"]);
        Assert.Equal("readOnly", known[known.IndexOf("saslSupportedMechs") - 1].Name);
        Assert.False(unknown.Contains("saslSupportedMechs"));
    }
}
