using DistributedSync.Bson;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

public sealed class InsertCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Missing_ids_are_generated_as_object_ids_and_moved_first()
    {
        var reply = await _host.InsertAsync("c", new BsonDocument("a", 1), new BsonDocument { { "b", 2 }, { "_id", 7 } });

        Assert.Equal(new BsonDocument { { "n", 2 }, { "ok", 1.0 } }, reply);
        var stored = await _host.AllAsync("c");
        Assert.Equal(BsonType.ObjectId, stored[0]["_id"].Type);
        Assert.Equal(["_id", "a"], stored[0].Names);
        Assert.Equal(new BsonDocument { { "_id", 7 }, { "b", 2 } }, stored[1]);
    }

    [Fact]
    public async Task Documents_may_come_as_a_kind_1_sequence()
    {
        var sequence = new DocumentSequence("documents", [new BsonDocument("_id", 1), new BsonDocument("_id", 2)]);

        var reply = await _host.RunAsync(new BsonDocument("insert", "c"), sequences: [sequence]);

        Assert.Equal(2, reply["n"].AsInt32);
        Assert.Equal(2, (await _host.AllAsync("c")).Count);
    }

    [Fact]
    public async Task An_ordered_insert_stops_at_the_first_duplicate_with_mongods_write_error()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "insert", "c" },
            { "documents", new BsonArray { new BsonDocument("_id", 1), new BsonDocument("_id", 2), new BsonDocument("_id", 1), new BsonDocument("_id", 3) } },
        });

        Assert.Equal(2, reply["n"].AsInt32);
        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal(["index", "code", "keyPattern", "keyValue", "errmsg"], error.Names);
        Assert.Equal(2, error["index"].AsInt32);
        Assert.Equal(11000, error["code"].AsInt32);
        Assert.Equal(new BsonDocument("_id", 1), error["keyPattern"]);
        Assert.Equal(new BsonDocument("_id", 1), error["keyValue"]);
        Assert.Equal("E11000 duplicate key error collection: app.c index: _id_ dup key: { _id: 1 }", error["errmsg"].AsString);
        Assert.Equal([1, 2], (await _host.AllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task An_unordered_insert_reports_every_failure_and_stores_the_rest()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "insert", "c" },
            { "ordered", false },
            { "documents", new BsonArray { new BsonDocument("_id", 1), new BsonDocument("_id", 1), new BsonDocument("_id", new BsonArray { 1 }), new BsonDocument("_id", 3) } },
        });

        Assert.Equal(2, reply["n"].AsInt32);
        var errors = reply["writeErrors"].AsArray.Select(e => e.AsDocument).ToList();
        Assert.Equal([1, 2], errors.Select(e => e["index"].AsInt32));
        Assert.Equal((53, "The '_id' value cannot be of type array"), (errors[1]["code"].AsInt32, errors[1]["errmsg"].AsString));
        Assert.Equal([1, 3], (await _host.AllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_unique_index_violation_leaves_no_half_inserted_document()
    {
        await _host.OkAsync(new BsonDocument
        {
            { "createIndexes", "c" },
            { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" }, { "unique", true } } } },
        });

        var reply = await _host.OkAsync(new BsonDocument
        {
            { "insert", "c" },
            { "ordered", false },
            { "documents", new BsonArray { new BsonDocument { { "_id", 1 }, { "a", 1 } }, new BsonDocument { { "_id", 2 }, { "a", 1 } }, new BsonDocument { { "_id", 3 }, { "a", 2 } } } },
        });

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal((1, 11000), (error["index"].AsInt32, error["code"].AsInt32));
        Assert.Equal(new BsonDocument("a", 1), error["keyPattern"]);
        Assert.Equal([1, 3], (await _host.AllAsync("c")).Select(d => d["_id"].AsInt32));
        var count = await _host.OkAsync(new BsonDocument("count", "c"));
        Assert.Equal(2, count["n"].AsInt32);
    }

    [Fact]
    public async Task Ids_and_field_names_are_validated_as_mongod_does()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "insert", "c" },
            { "ordered", false },
            {
                "documents", new BsonArray
                {
                    new BsonDocument { { "_id", 1 }, { "$price", 5 } },
                    new BsonDocument("_id", new BsonRegularExpression("x")),
                    new BsonDocument("_id", new BsonDocument("$bad", 1)),
                }
            },
        });

        var errors = reply["writeErrors"].AsArray.Select(e => e.AsDocument).ToList();
        Assert.Equal((1, 53, "The '_id' value cannot be of type regex"), (errors[0]["index"].AsInt32, errors[0]["code"].AsInt32, errors[0]["errmsg"].AsString));
        Assert.Equal((2, 52, "_id fields may not contain '$'-prefixed fields: $bad is not valid for storage."), (errors[1]["index"].AsInt32, errors[1]["code"].AsInt32, errors[1]["errmsg"].AsString));
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "$price", 5 } }, Assert.Single(await _host.AllAsync("c")));
    }

    [Fact]
    public async Task Nesting_is_limited_to_100_levels()
    {
        var ok = await _host.InsertAsync("c", Nested(100, 1));
        var tooDeep = await _host.OkAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { Nested(101, 2) } } });

        Assert.Equal(1, ok["n"].AsInt32);
        var error = Assert.Single(tooDeep["writeErrors"].AsArray).AsDocument;
        Assert.Equal((15, "cannot insert document because it exceeds 100 levels of nesting"), (error["code"].AsInt32, error["errmsg"].AsString));
    }

    [Fact]
    public async Task Documents_over_16_MiB_are_rejected()
    {
        var big = new BsonDocument { { "_id", 1 }, { "s", new string('x', 16 * 1024 * 1024) } };

        var reply = await _host.OkAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { big } } });

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal(2, error["code"].AsInt32);
        Assert.StartsWith("object to insert too large. size in bytes: 167772", error["errmsg"].AsString, StringComparison.Ordinal);
        Assert.EndsWith(", max size: 16777216", error["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, reply["n"].AsInt32);
    }

    [Fact]
    public async Task A_top_level_empty_timestamp_is_replaced_by_the_current_time()
    {
        await _host.InsertAsync("c", new BsonDocument { { "_id", 1 }, { "ts", new BsonTimestamp(0, 0) }, { "inner", new BsonDocument("ts", new BsonTimestamp(0, 0)) } });

        var stored = Assert.Single(await _host.AllAsync("c"));
        Assert.NotEqual(0UL, ((BsonTimestamp)stored["ts"]).Value);
        Assert.Equal(0UL, ((BsonTimestamp)stored["inner"].AsDocument["ts"]).Value);
    }

    [Theory]
    [InlineData(2, null, 2, "cannot use 'w' > 1 when a host is not replicated")]
    [InlineData(null, "tagged", 2, "cannot use non-majority 'w' mode \"tagged\" when a host is not a member of a replica set")]
    public async Task Write_concerns_that_need_a_replica_set_are_refused(int? w, string? mode, int code, string message)
    {
        var concern = new BsonDocument("w", w is { } n ? n : (BsonValue)mode!);

        var reply = await _host.FailsAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument() } }, { "writeConcern", concern } }, code);

        Assert.Equal(message, reply["errmsg"].AsString);
        Assert.Empty(await _host.AllAsync("c"));
    }

    [Fact]
    public async Task Majority_and_journaled_write_concerns_are_accepted()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "insert", "c" },
            { "documents", new BsonArray { new BsonDocument("_id", 1) } },
            { "writeConcern", new BsonDocument { { "w", "majority" }, { "j", true }, { "wtimeout", 1000 } } },
        });

        Assert.Equal(1, reply["n"].AsInt32);
    }

    [Fact]
    public async Task Batch_size_and_namespace_are_checked()
    {
        var empty = await _host.FailsAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray() } }, 16);
        var system = await _host.FailsAsync(new BsonDocument { { "insert", "system.views" }, { "documents", new BsonArray { new BsonDocument() } } }, 73);
        var missing = await _host.FailsAsync(new BsonDocument("insert", "c"), 40414);
        var unknown = await _host.FailsAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument() } }, { "bogus", 1 } }, 40415);

        Assert.Equal("Write batch sizes must be between 1 and 100000. Got 0 operations.", empty["errmsg"].AsString);
        Assert.Equal("cannot write to app.system.views", system["errmsg"].AsString);
        Assert.Equal("BSON field 'insert.documents' is missing but a required field", missing["errmsg"].AsString);
        Assert.Equal("BSON field 'insert.bogus' is an unknown field.", unknown["errmsg"].AsString);
    }

    [Fact]
    public async Task A_batch_of_1000_documents_is_stored_and_counted_per_document()
    {
        var documents = new BsonArray(Enumerable.Range(0, 1000).Select(i => (BsonValue)new BsonDocument { { "_id", i }, { "text", "t" + i } }));
        var before = _host.Server.Counters.OpCounters()["insert"].AsInt64;

        var reply = await _host.OkAsync(new BsonDocument { { "insert", "c" }, { "documents", documents } });

        Assert.Equal(1000, reply["n"].AsInt32);
        Assert.Equal(before + 1000, _host.Server.Counters.OpCounters()["insert"].AsInt64);
        Assert.Equal(1000, _host.Storage.GetCounters("app", "c").Count);
    }

    private static BsonDocument Nested(int levels, int id)
    {
        BsonDocument inner = new("leaf", 1);
        for (var i = 2; i < levels; i++)
        {
            inner = new BsonDocument("n", inner);
        }

        return new BsonDocument { { "_id", id }, { "n", inner } };
    }
}
