using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

public sealed class UpdateDeleteCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync(
            "c",
            new BsonDocument { { "_id", 1 }, { "g", "a" }, { "v", 1 } },
            new BsonDocument { { "_id", 2 }, { "g", "a" }, { "v", 5 } },
            new BsonDocument { { "_id", 3 }, { "g", "b" }, { "v", 5 } });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_multi_update_counts_matched_and_modified_documents()
    {
        var reply = await Update(new BsonDocument { { "q", new BsonDocument("g", "a") }, { "u", new BsonDocument("$set", new BsonDocument("v", 5)) }, { "multi", true } });

        Assert.Equal(new BsonDocument { { "n", 2 }, { "nModified", 1 }, { "ok", 1.0 } }, reply);
        Assert.Equal([5, 5, 5], (await _host.AllAsync("c")).Select(d => d["v"].AsInt32));
    }

    [Fact]
    public async Task Without_multi_only_the_first_match_in_natural_order_changes()
    {
        var reply = await Update(new BsonDocument { { "q", new BsonDocument("v", 5) }, { "u", new BsonDocument("$inc", new BsonDocument("v", 1)) } });

        Assert.Equal((1, 1), (reply["n"].AsInt32, reply["nModified"].AsInt32));
        Assert.Equal([1, 6, 5], (await _host.AllAsync("c")).Select(d => d["v"].AsInt32));
    }

    [Fact]
    public async Task An_upsert_reports_the_index_and_id_of_the_inserted_document()
    {
        var reply = await Update(
            new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("$set", new BsonDocument("x", 1)) }, { "upsert", true } },
            new BsonDocument { { "q", new BsonDocument("g", "z") }, { "u", new BsonDocument("$set", new BsonDocument("v", 9)) }, { "upsert", true } });

        Assert.Equal(["n", "upserted", "nModified", "ok"], reply.Names);
        Assert.Equal((2, 1), (reply["n"].AsInt32, reply["nModified"].AsInt32));
        var upserted = Assert.Single(reply["upserted"].AsArray).AsDocument;
        Assert.Equal(1, upserted["index"].AsInt32);
        var id = upserted["_id"];
        Assert.Equal(BsonType.ObjectId, id.Type);
        Assert.Equal(new BsonDocument { { "_id", id }, { "g", "z" }, { "v", 9 } }, Assert.Single(await _host.AllAsync("c", new BsonDocument("g", "z"))));
    }

    [Fact]
    public async Task Statement_failures_are_write_errors_and_an_ordered_update_stops()
    {
        var reply = await Update(
            new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("$set", new BsonDocument("_id", 10)) } },
            new BsonDocument { { "q", new BsonDocument("_id", 2) }, { "u", new BsonDocument("$set", new BsonDocument("w", 1)) } });

        Assert.Equal(0, reply["n"].AsInt32);
        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal((0, 66), (error["index"].AsInt32, error["code"].AsInt32));
        Assert.DoesNotContain(await _host.AllAsync("c"), d => d.Contains("w"));
    }

    [Fact]
    public async Task An_unordered_update_goes_on_after_a_failure()
    {
        var reply = await _host.OkAsync(new BsonDocument
        {
            { "update", "c" },
            { "ordered", false },
            {
                "updates", new BsonArray
                {
                    new BsonDocument { { "q", new BsonDocument() }, { "u", new BsonDocument("x", 1) }, { "multi", true } },
                    new BsonDocument { { "q", new BsonDocument("_id", 3) }, { "u", new BsonDocument("$set", new BsonDocument("w", 1)) } },
                }
            },
        });

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal((0, 9, "multi update is not supported for replacement-style update"), (error["index"].AsInt32, error["code"].AsInt32, error["errmsg"].AsString));
        Assert.Equal((1, 1), (reply["n"].AsInt32, reply["nModified"].AsInt32));
    }

    [Fact]
    public async Task Replacements_array_filters_and_pipelines_are_applied()
    {
        await _host.InsertAsync("arr", new BsonDocument { { "_id", 1 }, { "xs", new BsonArray { 1, 5, 9 } } });

        await Update(new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("g", "r") } });
        await Update(new BsonDocument { { "q", new BsonDocument("_id", 2) }, { "u", new BsonArray { new BsonDocument("$set", new BsonDocument("sum", new BsonDocument("$add", new BsonArray { "$v", 10 }))) } } });
        await _host.OkAsync(new BsonDocument
        {
            { "update", "arr" },
            { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument("_id", 1) }, { "u", new BsonDocument("$set", new BsonDocument("xs.$[big]", 0)) }, { "arrayFilters", new BsonArray { new BsonDocument("big", new BsonDocument("$gt", 4)) } } } } },
        });

        var all = await _host.AllAsync("c");
        Assert.Equal(new BsonDocument { { "_id", 1 }, { "g", "r" } }, all[0]);
        Assert.Equal(15, all[1]["sum"].ToInt64());
        Assert.Equal(new BsonArray { 1, 0, 0 }, Assert.Single(await _host.AllAsync("arr"))["xs"]);
    }

    [Fact]
    public async Task Structural_errors_fail_the_whole_command()
    {
        var missing = await _host.FailsAsync(new BsonDocument { { "update", "c" }, { "updates", new BsonArray { new BsonDocument("q", new BsonDocument()) } } }, 40414);
        var wrong = await _host.FailsAsync(new BsonDocument { { "update", "c" }, { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument() }, { "u", 1 } } } } }, 9);

        Assert.Equal("BSON field 'update.updates.u' is missing but a required field", missing["errmsg"].AsString);
        Assert.Equal("Update argument must be either an object or an array", wrong["errmsg"].AsString);
    }

    [Fact]
    public async Task Delete_removes_one_or_all_matches()
    {
        var one = await Delete(new BsonDocument { { "q", new BsonDocument("v", 5) }, { "limit", 1 } });
        var all = await Delete(new BsonDocument { { "q", new BsonDocument() }, { "limit", 0 } });
        var none = await Delete(new BsonDocument { { "q", new BsonDocument() }, { "limit", 0 } });

        Assert.Equal(new BsonDocument { { "n", 1 }, { "ok", 1.0 } }, one);
        Assert.Equal(2, all["n"].AsInt32);
        Assert.Equal(0, none["n"].AsInt32);
        Assert.Empty(await _host.AllAsync("c"));
    }

    [Fact]
    public async Task Delete_limit_must_be_0_or_1_and_filters_are_checked_per_statement()
    {
        var limit = await _host.FailsAsync(new BsonDocument { { "delete", "c" }, { "deletes", new BsonArray { new BsonDocument { { "q", new BsonDocument() }, { "limit", 2 } } } } }, 9);
        var badFilter = await Delete(new BsonDocument { { "q", new BsonDocument("v", new BsonDocument("$nope", 1)) }, { "limit", 0 } });

        Assert.Equal("The limit field in delete objects must be 0 or 1. Got 2", limit["errmsg"].AsString);
        var error = Assert.Single(badFilter["writeErrors"].AsArray).AsDocument;
        Assert.Equal(2, error["code"].AsInt32);
        Assert.Equal(3, (await _host.AllAsync("c")).Count);
    }

    [Fact]
    public async Task A_hint_must_name_an_existing_index()
    {
        var reply = await Update(new BsonDocument { { "q", new BsonDocument("g", "a") }, { "u", new BsonDocument("$set", new BsonDocument("h", 1)) }, { "hint", "nope_1" } });
        var byId = await Update(new BsonDocument { { "q", new BsonDocument("g", "a") }, { "u", new BsonDocument("$set", new BsonDocument("h", 1)) }, { "hint", new BsonDocument("_id", 1) } });

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal(2, error["code"].AsInt32);
        Assert.EndsWith("planner returned error :: caused by :: hint provided does not correspond to an existing index", error["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(1, byId["nModified"].AsInt32);
    }

    private Task<BsonDocument> Update(params BsonDocument[] statements)
        => _host.OkAsync(new BsonDocument { { "update", "c" }, { "updates", new BsonArray(statements) } });

    private Task<BsonDocument> Delete(params BsonDocument[] statements)
        => _host.OkAsync(new BsonDocument { { "delete", "c" }, { "deletes", new BsonArray(statements) } });
}
