using System.Buffers.Binary;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Server;

public sealed class ProtocolTests : IAsyncLifetime
{
    private InProcessServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await InProcessServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_checksummed_request_is_answered_with_a_checksum()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var request = CommandMessage.Create("admin", new BsonDocument("ping", 1), flags: OpMsgFlags.ChecksumPresent);
        await client.SendAsync(request, Ct);

        // ReceiveAsync decodes the reply, which verifies its CRC-32C.
        var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct));
        Assert.True(reply.ChecksumPresent);
        Assert.Equal(new BsonDouble(1.0), reply.Body["ok"]);

        var plain = CommandMessage.Create("admin", new BsonDocument("ping", 1));
        await client.SendAsync(plain, Ct);
        Assert.False(Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct)).ChecksumPresent);
    }

    [Fact]
    public async Task A_moreToCome_request_gets_no_reply()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var silent = CommandMessage.Create("admin", new BsonDocument("ping", 1), flags: OpMsgFlags.MoreToCome);
        var silentFailure = CommandMessage.Create("admin", new BsonDocument("noSuchCommand", 1), flags: OpMsgFlags.MoreToCome);
        var answered = CommandMessage.Create("admin", new BsonDocument("ping", 1));
        await client.SendAsync(silent, Ct);
        await client.SendAsync(silentFailure, Ct);
        await client.SendAsync(answered, Ct);

        var reply = await client.ReceiveAsync(Ct);
        Assert.Equal(answered.RequestId, reply.ResponseTo);
    }

    [Fact]
    public async Task An_unknown_command_fails_with_CommandNotFound()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var reply = await client.CommandAsync("test", new BsonDocument("frobnicate", 1), Ct);

        Assert.Equal(["ok", "errmsg", "code", "codeName"], reply.Names);
        Assert.Equal(new BsonDouble(0.0), reply["ok"]);
        Assert.Equal("no such command: 'frobnicate'", reply["errmsg"].AsString);
        Assert.Equal(BsonInt32.Create(59), reply["code"]);
        Assert.Equal("CommandNotFound", reply["codeName"].AsString);
    }

    [Fact]
    public async Task Command_names_are_case_sensitive()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var reply = await client.CommandAsync("admin", new BsonDocument("PING", 1), Ct);
        Assert.Equal(59, reply["code"].AsInt32);
    }

    [Fact]
    public async Task An_OP_MSG_without_db_is_rejected()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var request = new OpMsgMessage(new BsonDocument("ping", 1)) { RequestId = 5 };
        await client.SendAsync(request, Ct);

        var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct));
        Assert.Equal(40571, reply.Body["code"].AsInt32);
        Assert.Equal("OP_MSG requests require a $db argument", reply.Body["errmsg"].AsString);
    }

    [Fact]
    public async Task A_malformed_message_closes_only_that_connection()
    {
        await using var bystander = await _server.ConnectAsync(Ct);
        await using var offender = await _server.ConnectAsync(Ct);
        await bystander.CommandAsync("admin", new BsonDocument("ping", 1), Ct);

        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("admin", new BsonDocument("ping", 1)));
        bytes[16] |= 0x20; // an unknown required flag bit
        await offender.SendRawAsync(bytes, Ct);

        Assert.True(await offender.WaitForServerCloseAsync(TimeSpan.FromSeconds(15), Ct));
        Assert.Equal(new BsonDouble(1.0), (await bystander.CommandAsync("admin", new BsonDocument("ping", 1), Ct))["ok"]);
        Assert.Contains(_server.Log.RecentLines(), l => l.Contains("\"id\":22988", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hostile_length_closes_the_connection_without_reading_it()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var header = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(header, int.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), (int)OpCode.Msg);
        await client.SendRawAsync(header, Ct);

        Assert.True(await client.WaitForServerCloseAsync(TimeSpan.FromSeconds(15), Ct));
    }

    [Fact]
    public async Task A_corrupted_checksum_closes_the_connection()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var bytes = WireMessageCodec.ToBytes(CommandMessage.Create("admin", new BsonDocument("ping", 1), flags: OpMsgFlags.ChecksumPresent));
        bytes[^1] ^= 0xFF;
        await client.SendRawAsync(bytes, Ct);

        Assert.True(await client.WaitForServerCloseAsync(TimeSpan.FromSeconds(15), Ct));
    }

    [Fact]
    public async Task An_unknown_opcode_closes_the_connection()
    {
        await using var client = await _server.ConnectAsync(Ct);
        await client.SendRawAsync(Frame(9999, [0, 0, 0, 0]), Ct);

        Assert.True(await client.WaitForServerCloseAsync(TimeSpan.FromSeconds(15), Ct));
    }

    [Fact]
    public async Task OP_QUERY_on_a_collection_fails_with_5739101_and_QueryFailure()
    {
        await using var client = await _server.ConnectAsync(Ct);
        await client.SendAsync(new OpQueryMessage("app.items", new BsonDocument("a", 1)) { NumberToReturn = 10, RequestId = 9 }, Ct);

        var reply = Assert.IsType<OpReplyMessage>(await client.ReceiveAsync(Ct));
        Assert.Equal(9, reply.ResponseTo);
        Assert.Equal(OpReplyFlags.QueryFailure, reply.ResponseFlags);
        var error = Assert.Single(reply.Documents);
        Assert.Equal(["$err", "code", "ok"], error.Names);
        Assert.Equal(
            "OP_QUERY is no longer supported. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal",
            error["$err"].AsString);
        Assert.Equal(BsonInt32.Create(5739101), error["code"]);
    }

    [Fact]
    public async Task An_OP_QUERY_command_other_than_the_handshake_fails_with_352()
    {
        await using var client = await _server.ConnectAsync(Ct);
        await client.SendAsync(new OpQueryMessage("app.$cmd", new BsonDocument("find", "items")) { NumberToReturn = -1, RequestId = 3 }, Ct);

        var reply = Assert.IsType<OpReplyMessage>(await client.ReceiveAsync(Ct));
        var error = Assert.Single(reply.Documents);
        Assert.Equal(352, error["code"].AsInt32);
        Assert.Equal("UnsupportedOpQueryCommand", error["codeName"].AsString);
        Assert.StartsWith("Unsupported OP_QUERY command: find. The client driver may require an upgrade.", error["errmsg"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OP_GET_MORE_fails_with_5739101_and_OP_INSERT_gets_no_reply()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var insertBody = new List<byte>();
        insertBody.AddRange(new byte[4]);
        insertBody.AddRange(Encoding.UTF8.GetBytes("app.items\0"));
        insertBody.AddRange(BsonCodec.ToBytes(new BsonDocument("a", 1)));
        await client.SendRawAsync(Frame((int)OpCode.Insert, [.. insertBody]), Ct);

        var getMoreBody = new List<byte>();
        getMoreBody.AddRange(new byte[4]);
        getMoreBody.AddRange(Encoding.UTF8.GetBytes("app.items\0"));
        getMoreBody.AddRange(new byte[4 + 8]);
        await client.SendRawAsync(Frame((int)OpCode.GetMore, [.. getMoreBody], requestId: 41), Ct);

        var reply = Assert.IsType<OpReplyMessage>(await client.ReceiveAsync(Ct));
        Assert.Equal(41, reply.ResponseTo);
        Assert.Equal(OpReplyFlags.QueryFailure, reply.ResponseFlags);
        Assert.StartsWith("OP_GET_MORE is no longer supported.", reply.Documents[0]["$err"].AsString, StringComparison.Ordinal);
        Assert.Equal(5739101, reply.Documents[0]["code"].AsInt32);

        // The connection is still usable.
        Assert.Equal(new BsonDouble(1.0), (await client.CommandAsync("admin", new BsonDocument("ping", 1), Ct))["ok"]);
    }

    [Fact]
    public async Task Document_sequences_and_the_database_reach_the_handler()
    {
        _server.Host.State.Dispatcher.Register(new EchoHandler());
        await using var client = await _server.ConnectAsync(Ct);
        var request = CommandMessage.Create("app", new BsonDocument("echoForTest", "items"), "documents", [new BsonDocument("a", 1), new BsonDocument("a", 2)]);
        await client.SendAsync(request, Ct);

        var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct)).Body;
        Assert.Equal("app", reply["db"].AsString);
        Assert.Equal(new BsonArray { new BsonDocument("a", 1), new BsonDocument("a", 2) }, reply["documents"]);
        Assert.Equal(1L, reply["connectionId"].AsInt64);
        Assert.True(reply["raw"].AsBoolean);
        Assert.Equal(new BsonDouble(1.0), reply["ok"]);
    }

    [Fact]
    public async Task A_field_both_in_the_body_and_a_sequence_is_rejected()
    {
        await using var client = await _server.ConnectAsync(Ct);
        var body = new BsonDocument { { "insert", "items" }, { "documents", new BsonArray() }, { "$db", "app" } };
        var request = new OpMsgMessage(body, [new DocumentSequence("documents", [new BsonDocument("a", 1)])]) { RequestId = 12 };
        await client.SendAsync(request, Ct);

        var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(Ct)).Body;
        Assert.Equal(40433, reply["code"].AsInt32);
        Assert.Equal("Duplicate field between body and document sequence documents", reply["errmsg"].AsString);
    }

    private sealed class EchoHandler : Commands.ICommandHandler
    {
        public string Name => "echoForTest";

        public ValueTask<BsonDocument> ExecuteAsync(Commands.CommandContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(new BsonDocument
            {
                { "db", context.DatabaseName },
                { "documents", new BsonArray(context.GetDocuments("documents")!) },
                { "connectionId", context.Connection.Id },
                { "raw", context.GetSequence("documents")!.HasRawDocuments },
            });
    }

    private static byte[] Frame(int opCode, byte[] body, int requestId = 1)
    {
        var bytes = new byte[16 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), opCode);
        body.CopyTo(bytes, 16);
        return bytes;
    }
}
