using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Cursors;

public sealed class FindCursorTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync("c", [.. Enumerable.Range(0, 110).Select(i => new BsonDocument { { "_id", i }, { "v", i % 7 } })]);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_first_batch_defaults_to_101_and_getMore_returns_the_rest()
    {
        var find = await _host.OkAsync(new BsonDocument("find", "c"));
        var id = CommandHost.CursorId(find);
        var more = await GetMore(id);

        Assert.Equal(["firstBatch", "id", "ns"], find["cursor"].AsDocument.Names);
        Assert.Equal("app.c", find["cursor"].AsDocument["ns"].AsString);
        Assert.Equal(101, CommandHost.FirstBatch(find).Count);
        Assert.True(id > 0);
        Assert.Equal(Enumerable.Range(101, 9), CommandHost.NextBatch(more).Select(d => d["_id"].AsInt32));
        Assert.Equal(0, CommandHost.CursorId(more));
        var gone = await _host.FailsAsync(GetMoreCommand(id), 43);
        Assert.Equal($"cursor id {id} not found", gone["errmsg"].AsString);
    }

    [Fact]
    public async Task A_batch_that_ends_exactly_at_the_end_keeps_the_cursor_open_like_mongod()
    {
        var find = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "batchSize", 100 } });
        var id = CommandHost.CursorId(find);
        var last = await GetMore(id, 10);
        var end = await GetMore(id, 10);

        Assert.Equal(10, CommandHost.NextBatch(last).Count);
        Assert.Equal(id, CommandHost.CursorId(last));
        Assert.Empty(CommandHost.NextBatch(end));
        Assert.Equal(0, CommandHost.CursorId(end));
    }

    [Fact]
    public async Task An_unsorted_scan_resumes_after_its_last_record_and_sees_later_inserts()
    {
        var find = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "filter", new BsonDocument("_id", new BsonDocument("$gte", 108)) }, { "batchSize", 1 } });
        await _host.InsertAsync("c", new BsonDocument { { "_id", 500 }, { "v", 0 } });
        var more = await GetMore(CommandHost.CursorId(find));

        Assert.Equal([108], CommandHost.FirstBatch(find).Select(d => d["_id"].AsInt32));
        Assert.Equal([109, 500], CommandHost.NextBatch(more).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Sort_skip_limit_and_projection_combine()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "find", "c" },
            { "filter", new BsonDocument("v", 3) },
            { "sort", new BsonDocument("_id", -1) },
            { "skip", 1 },
            { "limit", 3 },
            { "projection", new BsonDocument { { "_id", 1 } } },
        });

        Assert.Equal([new BsonDocument("_id", 101), new BsonDocument("_id", 94), new BsonDocument("_id", 87)], CommandHost.FirstBatch(reply));
        Assert.Equal(0, CommandHost.CursorId(reply));
    }

    [Fact]
    public async Task A_limit_closes_the_cursor_when_reached_and_single_batch_always()
    {
        var limited = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "limit", 5 }, { "batchSize", 3 } });
        var rest = await GetMore(CommandHost.CursorId(limited));
        var single = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "batchSize", 2 }, { "singleBatch", true } });

        Assert.Equal(3, CommandHost.FirstBatch(limited).Count);
        Assert.Equal([3, 4], CommandHost.NextBatch(rest).Select(d => d["_id"].AsInt32));
        Assert.Equal(0, CommandHost.CursorId(rest));
        Assert.Equal(2, CommandHost.FirstBatch(single).Count);
        Assert.Equal(0, CommandHost.CursorId(single));
    }

    [Fact]
    public async Task An_id_lookup_and_a_missing_collection_return_dead_cursors()
    {
        var byId = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "filter", new BsonDocument("_id", 42.0) } });
        var missing = await _host.OkAsync(new BsonDocument("find", "nothing"));

        Assert.Equal([new BsonDocument { { "_id", 42 }, { "v", 0 } }], CommandHost.FirstBatch(byId));
        Assert.Equal(0, CommandHost.CursorId(byId));
        Assert.Empty(CommandHost.FirstBatch(missing));
        Assert.Equal(0, CommandHost.CursorId(missing));
    }

    [Fact]
    public async Task Batches_are_capped_at_16_MiB()
    {
        var chunk = new string('x', 5_000_000);
        await _host.InsertAsync("big", [.. Enumerable.Range(0, 5).Select(i => new BsonDocument { { "_id", i }, { "s", chunk } })]);

        var find = await _host.OkAsync(new BsonDocument { { "find", "big" }, { "batchSize", 10 } });
        var more = await GetMore(CommandHost.CursorId(find), collection: "big");

        Assert.Equal([0, 1, 2], CommandHost.FirstBatch(find).Select(d => d["_id"].AsInt32));
        Assert.Equal([3, 4], CommandHost.NextBatch(more).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task Find_arguments_are_validated_as_mongod_does()
    {
        var limit = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "limit", -1 } }, 51024);
        var await_ = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "awaitData", true } }, 9);
        var type = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "filter", 3 } }, 14);
        var skipType = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "skip", "x" } }, 14);
        var hint = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "hint", "nope" } }, 2);

        Assert.Equal("BSON field 'limit' value must be >= 0, actual value '-1'", limit["errmsg"].AsString);
        Assert.Equal("Cannot set 'awaitData' without also setting 'tailable'", await_["errmsg"].AsString);
        Assert.Equal("BSON field 'find.filter' is the wrong type 'int', expected type 'object'", type["errmsg"].AsString);
        Assert.Equal("BSON field 'find.skip' is the wrong type 'string', expected types '[long, int, decimal, double']", skipType["errmsg"].AsString);
        Assert.Equal("error processing query: ns=app.cTree: $and\nSort: {}\nProj: {}\n planner returned error :: caused by :: hint provided does not correspond to an existing index", hint["errmsg"].AsString);
    }

    [Fact]
    public async Task Tailable_find_needs_a_capped_collection()
    {
        var reply = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "tailable", true } }, 2);
        var sorted = await _host.FailsAsync(new BsonDocument { { "find", "c" }, { "tailable", true }, { "sort", new BsonDocument("v", 1) } }, 2);

        Assert.Equal("error processing query: ns=app.cTree: $and\nSort: {}\nProj: {}\n tailable cursor requested on non capped collection", reply["errmsg"].AsString);
        Assert.Equal("cannot use tailable option with a sort other than {$natural: 1}", sorted["errmsg"].AsString);
    }

    [Fact]
    public async Task Reverse_natural_order_returns_the_newest_first_with_filter_skip_and_limit()
    {
        var all = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "sort", new BsonDocument("$natural", -1) }, { "batchSize", 200 } });
        var page = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "filter", new BsonDocument("v", 3) }, { "sort", new BsonDocument("$natural", -1) }, { "skip", 1 }, { "limit", 2 } });
        var last = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "sort", new BsonDocument("$natural", -1) }, { "limit", 1 } });

        Assert.Equal(Enumerable.Range(0, 110).Reverse(), CommandHost.FirstBatch(all).Select(d => d["_id"].AsInt32));
        var threes = Enumerable.Range(0, 110).Where(i => i % 7 == 3).Reverse().ToList();
        Assert.Equal(threes.Skip(1).Take(2), CommandHost.FirstBatch(page).Select(d => d["_id"].AsInt32));
        Assert.Equal([109], CommandHost.FirstBatch(last).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task FindAndModify_with_reverse_natural_sort_picks_the_newest_match()
    {
        var reply = await _host.OkAsync(new BsonDocument { { "findAndModify", "c" }, { "query", new BsonDocument("v", 2) }, { "sort", new BsonDocument("$natural", -1) }, { "update", new BsonDocument("$set", new BsonDocument("picked", true)) } });

        Assert.Equal(Enumerable.Range(0, 110).Last(i => i % 7 == 2), reply["value"].AsDocument["_id"].AsInt32);
    }

    private Task<BsonDocument> GetMore(long id, int? batchSize = null, string collection = "c")
        => _host.OkAsync(GetMoreCommand(id, batchSize, collection));

    private static BsonDocument GetMoreCommand(long id, int? batchSize = null, string collection = "c")
    {
        var command = new BsonDocument { { "getMore", id }, { "collection", collection } };
        if (batchSize is { } size)
        {
            command.Add("batchSize", size);
        }

        return command;
    }
}
