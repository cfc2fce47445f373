using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

public sealed class ReadCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync(
            "c",
            new BsonDocument { { "_id", 1 }, { "k", "b" }, { "n", 3 }, { "tags", new BsonArray { "x", "y" } } },
            new BsonDocument { { "_id", 2 }, { "k", "a" }, { "n", 1 }, { "tags", new BsonArray { "y" } } },
            new BsonDocument { { "_id", 3 }, { "k", "b" }, { "n", 1.0 }, { "sub", new BsonArray { new BsonDocument("v", 2), new BsonDocument("v", 1) } } },
            new BsonDocument { { "_id", 4 }, { "k", "c" } });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Count_applies_query_skip_and_limit()
    {
        Assert.Equal(new BsonDocument { { "n", 4 }, { "ok", 1.0 } }, await _host.OkAsync(new BsonDocument("count", "c")));
        Assert.Equal(2, (await _host.OkAsync(new BsonDocument { { "count", "c" }, { "query", new BsonDocument("k", "b") } }))["n"].AsInt32);
        Assert.Equal(2, (await _host.OkAsync(new BsonDocument { { "count", "c" }, { "skip", 1 }, { "limit", -2 } }))["n"].AsInt32);
        Assert.Equal(1, (await _host.OkAsync(new BsonDocument { { "count", "c" }, { "skip", 3 } }))["n"].AsInt32);
        Assert.Equal(0, (await _host.OkAsync(new BsonDocument("count", "missing")))["n"].AsInt32);
    }

    [Fact]
    public async Task Distinct_expands_arrays_merges_equal_numbers_and_sorts()
    {
        var k = await _host.OkAsync(new BsonDocument { { "distinct", "c" }, { "key", "k" } });
        var n = await _host.OkAsync(new BsonDocument { { "distinct", "c" }, { "key", "n" } });
        var tags = await _host.OkAsync(new BsonDocument { { "distinct", "c" }, { "key", "tags" }, { "query", new BsonDocument("k", "b") } });
        var nested = await _host.OkAsync(new BsonDocument { { "distinct", "c" }, { "key", "sub.v" } });

        Assert.Equal(new BsonArray { "a", "b", "c" }, k["values"]);
        Assert.Equal(new BsonArray { 1, 3 }, n["values"]);
        Assert.Equal(new BsonArray { "x", "y" }, tags["values"]);
        Assert.Equal(new BsonArray { 1, 2 }, nested["values"]);
    }

    [Fact]
    public async Task Distinct_requires_a_key()
    {
        var reply = await _host.FailsAsync(new BsonDocument("distinct", "c"), 40414);

        Assert.Equal("BSON field 'distinct.key' is missing but a required field", reply["errmsg"].AsString);
    }

    [Fact]
    public async Task Aggregate_runs_the_pipeline_through_a_cursor()
    {
        var pipeline = new BsonArray
        {
            new BsonDocument("$match", new BsonDocument("k", new BsonDocument("$ne", "c"))),
            new BsonDocument("$group", new BsonDocument { { "_id", "$k" }, { "count", new BsonDocument("$sum", 1) } }),
            new BsonDocument("$sort", new BsonDocument("_id", 1)),
        };

        var reply = await _host.OkAsync(new BsonDocument { { "aggregate", "c" }, { "pipeline", pipeline }, { "cursor", new BsonDocument("batchSize", 1) } });
        var id = CommandHost.CursorId(reply);
        var more = await _host.OkAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } });

        Assert.Equal("app.c", reply["cursor"].AsDocument["ns"].AsString);
        Assert.Equal([new BsonDocument { { "_id", "a" }, { "count", 1 } }], CommandHost.FirstBatch(reply));
        Assert.NotEqual(0, id);
        Assert.Equal([new BsonDocument { { "_id", "b" }, { "count", 2 } }], CommandHost.NextBatch(more));
        Assert.Equal(0, CommandHost.CursorId(more));
    }

    [Fact]
    public async Task Aggregate_count_and_errors()
    {
        var count = await _host.OkAsync(new BsonDocument { { "aggregate", "c" }, { "pipeline", new BsonArray { new BsonDocument("$count", "total") } }, { "cursor", new BsonDocument() } });
        var noCursor = await _host.FailsAsync(new BsonDocument { { "aggregate", "c" }, { "pipeline", new BsonArray() } }, 9);
        var badStage = await _host.FailsAsync(new BsonDocument { { "aggregate", "c" }, { "pipeline", new BsonArray { new BsonDocument("$nope", 1) } }, { "cursor", new BsonDocument() } }, 40324);
        var missing = await _host.OkAsync(new BsonDocument { { "aggregate", "none" }, { "pipeline", new BsonArray() }, { "cursor", new BsonDocument() } });

        Assert.Equal([new BsonDocument("total", 4)], CommandHost.FirstBatch(count));
        Assert.Equal(0, CommandHost.CursorId(count));
        Assert.Equal("The 'cursor' option is required, except for aggregate with the explain argument", noCursor["errmsg"].AsString);
        Assert.Equal("Unrecognized pipeline stage name: '$nope'", badStage["errmsg"].AsString);
        Assert.Empty(CommandHost.FirstBatch(missing));
    }
}
