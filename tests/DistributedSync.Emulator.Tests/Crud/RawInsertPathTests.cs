using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Server;
using DistributedSync.Wire;
using Microsoft.Data.Sqlite;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

/// <summary>
/// Inserts whose documents arrive as a kind-1 sequence decoded as the connection decodes it (the
/// received bytes kept): canonical documents are stored as received, everything else exactly as
/// the encoded path stores it, and every check still applies.
/// </summary>
public sealed class RawInsertPathTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_document_with_its_id_first_is_stored_byte_for_byte_as_received()
    {
        var document = new BsonDocument
        {
            { "_id", ObjectId.GenerateNewId() }, { "s", "héllo" }, { "a", new BsonArray { 1, new BsonDocument("x", new BsonArray()), "z" } },
            { "d", new BsonDocument { { "n", 1.5 }, { "e", new BsonDocument() } } }, { "b", new BsonBinaryData([1, 2, 3], BsonBinarySubtype.BinaryOld) },
            { "r", new BsonRegularExpression("^a", "i") }, { "t", new BsonTimestamp(5, 6) }, { "m", BsonMaxKey.Value },
        };
        var message = Message(OrderedInsert(), document);
        var sent = ReceivedDocument(message, 0);

        var reply = await RunAsync(message);

        Assert.Equal(1, reply["n"].AsInt32);
        Assert.Equal(sent, Assert.Single(StoredBytes()));
        Assert.Equal(document, Assert.Single(await _host.AllAsync("c")));
        Assert.Equal(sent.Length, _host.Storage.GetCounters("app", "c").Bytes);
    }

    [Fact]
    public async Task A_document_without_id_gets_a_generated_object_id_first()
    {
        var message = Message(OrderedInsert(), new BsonDocument { { "a", 1 }, { "b", new BsonArray { "x", "y" } } });
        var sent = ReceivedDocument(message, 0);

        await RunAsync(message);

        var stored = Assert.Single(StoredBytes());
        var decoded = BsonCodec.Decode(stored);
        Assert.Equal(["_id", "a", "b"], decoded.Names);
        Assert.Equal(BsonType.ObjectId, decoded["_id"].Type);
        Assert.Equal(BsonCodec.ToBytes(decoded), stored);
        Assert.Equal(sent.AsSpan(4).ToArray(), stored.AsSpan(4 + 17).ToArray());
        Assert.Equal(stored.Length, _host.Storage.GetCounters("app", "c").Bytes);
    }

    [Fact]
    public async Task Documents_that_need_changes_are_stored_as_the_encoded_path_stores_them()
    {
        var message = Message(
            OrderedInsert(),
            new BsonDocument { { "a", 1 }, { "_id", 2 } },
            new BsonDocument { { "_id", 3 }, { "ts", new BsonTimestamp(0, 0) } },
            new BsonDocument { { "ts", new BsonTimestamp(0, 0) } },
            new BsonDocument { { "_id", 4 }, { "code", new BsonJavaScriptWithScope("f()", new BsonDocument("v", new BsonArray { 1 })) } });

        Assert.Equal(4, (await RunAsync(message))["n"].AsInt32);

        var stored = StoredBytes().Select(b => (Bytes: b, Document: BsonCodec.Decode(b))).ToList();
        Assert.All(stored, s => Assert.Equal(BsonCodec.ToBytes(s.Document), s.Bytes));
        Assert.Equal(new BsonDocument { { "_id", 2 }, { "a", 1 } }, stored[0].Document);
        Assert.NotEqual(0UL, ((BsonTimestamp)stored[1].Document["ts"]).Value);
        Assert.Equal(["_id", "ts"], stored[2].Document.Names);
        Assert.NotEqual(0UL, ((BsonTimestamp)stored[2].Document["ts"]).Value);
        Assert.Equal(ReceivedDocument(message, 3), stored[3].Bytes);
    }

    [Fact]
    public async Task Array_element_names_out_of_order_are_renumbered_as_before()
    {
        var message = Message(OrderedInsert(), new BsonDocument { { "_id", 1 }, { "a", new BsonArray { 10, 20 } } });
        var at = message.AsSpan().IndexOf(new byte[] { 0x10, (byte)'1', 0, 20, 0, 0, 0 });
        message[at + 1] = (byte)'7';

        await RunAsync(message);

        var stored = Assert.Single(StoredBytes());
        Assert.NotEqual(ReceivedDocument(message, 0), stored);
        Assert.Equal(BsonCodec.ToBytes(new BsonDocument { { "_id", 1 }, { "a", new BsonArray { 10, 20 } } }), stored);
    }

    [Fact]
    public async Task Invalid_documents_in_a_batch_fail_with_mongods_codes_and_leave_nothing()
    {
        var message = Message(
            new BsonDocument { { "insert", "c" }, { "ordered", false } },
            new BsonDocument("_id", 1),
            new BsonDocument { { "_id", 2 }, { "s", new string('x', 16 * 1024 * 1024) } },
            Nested(101, 3),
            new BsonDocument("_id", new BsonArray { 4 }),
            new BsonDocument("_id", new BsonRegularExpression("x")),
            new BsonDocument("_id", new BsonDocument("$bad", 1)),
            new BsonDocument { { "_id", 7 }, { "_iZ", 8 } },
            new BsonDocument { { "_id", 9 }, { "$price", 5 } },
            Nested(100, 10));
        message[message.AsSpan().IndexOf("_iZ\0"u8) + 2] = (byte)'d';

        var reply = await RunAsync(message);

        var errors = reply["writeErrors"].AsArray.Select(e => e.AsDocument).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], errors.Select(e => e["index"].AsInt32));
        Assert.Equal([2, 15, 53, 53, 52, 2], errors.Select(e => e["code"].AsInt32));
        Assert.Equal($"object to insert too large. size in bytes: {ReceivedDocument(message, 1).Length}, max size: 16777216", errors[0]["errmsg"].AsString);
        Assert.Equal("cannot insert document because it exceeds 100 levels of nesting", errors[1]["errmsg"].AsString);
        Assert.Equal("can't have multiple _id fields in one document", errors[5]["errmsg"].AsString);
        Assert.Equal(3, reply["n"].AsInt32);
        Assert.Equal([1, 9, 10], (await _host.AllAsync("c")).Select(d => d["_id"].AsInt32));
        Assert.Equal([ReceivedDocument(message, 0), ReceivedDocument(message, 7), ReceivedDocument(message, 8)], StoredBytes());
    }

    [Fact]
    public async Task Duplicate_ids_and_unique_index_keys_of_received_documents_are_refused()
    {
        await _host.OkAsync(new BsonDocument
        {
            { "createIndexes", "c" },
            { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" }, { "unique", true } } } },
        });
        var id = ObjectId.GenerateNewId();
        var message = Message(
            new BsonDocument { { "insert", "c" }, { "ordered", false } },
            new BsonDocument { { "_id", id }, { "a", 1 } },
            new BsonDocument { { "_id", id }, { "a", 2 } },
            new BsonDocument { { "_id", "x" }, { "a", 1 } },
            new BsonDocument { { "_id", "y" }, { "a", 3 } });

        var reply = await RunAsync(message);

        var errors = reply["writeErrors"].AsArray.Select(e => e.AsDocument).ToList();
        Assert.Equal([1, 2], errors.Select(e => e["index"].AsInt32));
        Assert.All(errors, e => Assert.Equal(11000, e["code"].AsInt32));
        Assert.Equal((new BsonDocument("_id", 1), new BsonDocument("_id", id)), (errors[0]["keyPattern"], errors[0]["keyValue"]));
        Assert.Equal((new BsonDocument("a", 1), new BsonDocument("a", 1)), (errors[1]["keyPattern"], errors[1]["keyValue"]));
        Assert.Equal([ReceivedDocument(message, 0), ReceivedDocument(message, 3)], StoredBytes());
        Assert.Equal(2, _host.Storage.GetCounters("app", "c").Count);
    }

    [Fact]
    public async Task A_capped_collection_refuses_a_received_document_larger_than_its_size()
    {
        await _host.OkAsync(new BsonDocument { { "create", "c" }, { "capped", true }, { "size", 4096 } });
        var message = Message(
            new BsonDocument { { "insert", "c" }, { "ordered", false } },
            new BsonDocument { { "_id", 1 }, { "s", new string('x', 5000) } },
            new BsonDocument("_id", 2));

        var reply = await RunAsync(message);

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal((0, 2, "object to insert exceeds cappedMaxSize"), (error["index"].AsInt32, error["code"].AsInt32, error["errmsg"].AsString));
        Assert.Equal([ReceivedDocument(message, 1)], StoredBytes());
    }

    private static BsonDocument OrderedInsert() => new BsonDocument("insert", "c");

    private static byte[] Message(BsonDocument command, params BsonDocument[] documents)
        => WireMessageCodec.ToBytes(CommandMessage.Create("app", command, "documents", documents));

    // The bytes of document index of the message's sequence, as the connection keeps them.
    private static byte[] ReceivedDocument(byte[] message, int index)
        => Decode(message).Sequences[0].GetRawDocument(index).ToArray();

    private static OpMsgMessage Decode(byte[] message)
    {
        var decoded = (OpMsgMessage)WireMessageCodec.Decode(message, ClientConnection.Limits);
        Assert.True(decoded.Sequences[0].HasRawDocuments);
        return decoded;
    }

    private async Task<BsonDocument> RunAsync(byte[] message)
    {
        var decoded = Decode(message);
        var reply = await _host.RunAsync(decoded.Body, "app", decoded.Sequences);
        Assert.True(reply["ok"].ToDouble() == 1, "command failed: " + reply);
        return reply;
    }

    // The doc column of app.c in record order, read straight from the SQLite file.
    private List<byte[]> StoredBytes()
    {
        var table = _host.Storage.GetCollection("app", "c")!.DocumentTable;
        var file = Path.Combine(_host.Storage.DbPath, "emulator.sqlite");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT doc FROM {table} ORDER BY rid;";
        using var reader = command.ExecuteReader();
        var rows = new List<byte[]>();
        while (reader.Read())
        {
            rows.Add((byte[])reader[0]);
        }

        return rows;
    }

    private static BsonDocument Nested(int levels, int id)
    {
        BsonDocument inner = new("leaf", new BsonDocument());
        for (var i = 2; i < levels; i++)
        {
            inner = new BsonDocument("n", inner);
        }

        return new BsonDocument { { "_id", id }, { "n", inner } };
    }
}
