using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Emulator.Tests.Crud;

public sealed class FindAndModifyCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync(
            "c",
            new BsonDocument { { "_id", 1 }, { "state", "new" }, { "p", 2 } },
            new BsonDocument { { "_id", 2 }, { "state", "new" }, { "p", 9 } },
            new BsonDocument { { "_id", 3 }, { "state", "done" }, { "p", 5 } });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Update_returns_the_document_before_or_after_the_change()
    {
        var before = await Run(new BsonDocument { { "query", new BsonDocument("_id", 1) }, { "update", new BsonDocument("$set", new BsonDocument("state", "taken")) } });
        var after = await Run(new BsonDocument { { "query", new BsonDocument("_id", 3) }, { "update", new BsonDocument("$inc", new BsonDocument("p", 1)) }, { "new", true }, { "fields", new BsonDocument("p", 1) } });

        Assert.Equal(["lastErrorObject", "value", "ok"], before.Names);
        Assert.Equal(new BsonDocument { { "n", 1 }, { "updatedExisting", true } }, before["lastErrorObject"]);
        Assert.Equal("new", before["value"].AsDocument["state"].AsString);
        Assert.Equal(new BsonDocument { { "_id", 3 }, { "p", 6 } }, after["value"]);
        Assert.Equal("taken", (await _host.AllAsync("c", new BsonDocument("_id", 1)))[0]["state"].AsString);
    }

    [Fact]
    public async Task The_sort_picks_which_document_is_modified()
    {
        var reply = await Run(new BsonDocument { { "query", new BsonDocument("state", "new") }, { "sort", new BsonDocument("p", -1) }, { "remove", true } });

        Assert.Equal(new BsonDocument("n", 1), reply["lastErrorObject"]);
        Assert.Equal(2, reply["value"].AsDocument["_id"].AsInt32);
        Assert.Equal([1, 3], (await _host.AllAsync("c")).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task An_upsert_reports_the_new_id_and_returns_null_or_the_new_document()
    {
        var quiet = await Run(new BsonDocument { { "query", new BsonDocument("_id", 7) }, { "update", new BsonDocument("$set", new BsonDocument("x", 1)) }, { "upsert", true } });
        var loud = await Run(new BsonDocument { { "query", new BsonDocument("_id", 8) }, { "update", new BsonDocument("$set", new BsonDocument("x", 2)) }, { "upsert", true }, { "new", true } });

        Assert.Equal(new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", 7 } }, quiet["lastErrorObject"]);
        Assert.Equal(BsonNull.Value, quiet["value"]);
        Assert.Equal(new BsonDocument { { "_id", 8 }, { "x", 2 } }, loud["value"]);
    }

    [Fact]
    public async Task Nothing_matched_gives_a_null_value()
    {
        var update = await Run(new BsonDocument { { "query", new BsonDocument("_id", 99) }, { "update", new BsonDocument("$set", new BsonDocument("x", 1)) } });
        var remove = await Run(new BsonDocument { { "query", new BsonDocument("_id", 99) }, { "remove", true } });

        Assert.Equal(new BsonDocument { { "n", 0 }, { "updatedExisting", false } }, update["lastErrorObject"]);
        Assert.Equal(BsonNull.Value, update["value"]);
        Assert.Equal(new BsonDocument("n", 0), remove["lastErrorObject"]);
    }

    [Theory]
    [InlineData(false, false, false, false, "Either an update or remove=true must be specified")]
    [InlineData(true, true, false, false, "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document")]
    [InlineData(true, false, true, false, "Cannot specify both an update and remove=true")]
    [InlineData(true, false, false, true, "Cannot specify both upsert=true and remove=true")]
    public async Task Contradictory_options_are_refused(bool remove, bool returnNew, bool update, bool upsert, string message)
    {
        var command = new BsonDocument { { "findAndModify", "c" }, { "query", new BsonDocument() }, { "remove", remove }, { "new", returnNew }, { "upsert", upsert } };
        if (update)
        {
            command.Add("update", new BsonDocument("$set", new BsonDocument("x", 1)));
        }

        var reply = await _host.FailsAsync(command, 9);

        Assert.Equal(message, reply["errmsg"].AsString);
    }

    [Fact]
    public async Task A_duplicate_key_is_a_command_error_with_its_key()
    {
        var reply = await _host.FailsAsync(new BsonDocument { { "findAndModify", "c" }, { "query", new BsonDocument("state", "none") }, { "update", new BsonDocument("_id", 1) }, { "upsert", true } }, 11000);

        Assert.Equal(new BsonDocument("_id", 1), reply["keyValue"]);
        Assert.Equal(3, (await _host.AllAsync("c")).Count);
    }

    private Task<BsonDocument> Run(BsonDocument arguments)
    {
        var command = new BsonDocument("findAndModify", "c");
        foreach (var element in arguments)
        {
            command.Add(element.Name, element.Value);
        }

        return _host.OkAsync(command);
    }
}
