using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Ddl;

public sealed class CollectionCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Create_makes_plain_and_capped_collections_listed_with_their_options()
    {
        await _host.OkAsync(new BsonDocument("create", "plain"));
        await _host.OkAsync(new BsonDocument { { "create", "capped" }, { "capped", true }, { "size", 1000 }, { "max", 10 } });

        var list = await _host.OkAsync(new BsonDocument("listCollections", 1));
        var cursor = list["cursor"].AsDocument;
        var entries = cursor["firstBatch"].AsArray.Select(e => e.AsDocument).ToList();

        Assert.Equal(["id", "ns", "firstBatch"], cursor.Names);
        Assert.Equal(0L, cursor["id"].AsInt64);
        Assert.Equal("app.$cmd.listCollections", cursor["ns"].AsString);
        Assert.Equal(["capped", "plain"], entries.Select(e => e["name"].AsString));
        Assert.Equal(["name", "type", "options", "info", "idIndex"], entries[0].Names);
        Assert.Equal(new BsonDocument { { "capped", true }, { "size", 1024 }, { "max", 10 } }, entries[0]["options"]);
        Assert.Equal(new BsonDocument(), entries[1]["options"]);
        Assert.Equal("collection", entries[1]["type"].AsString);
        var info = entries[1]["info"].AsDocument;
        Assert.Equal(BsonBoolean.False, info["readOnly"]);
        Assert.Equal(BsonBinarySubtype.Uuid, ((BsonBinaryData)info["uuid"]).Subtype);
        Assert.Equal(new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } }, entries[1]["idIndex"]);
    }

    [Fact]
    public async Task Create_checks_options_and_is_idempotent_for_identical_options()
    {
        await _host.OkAsync(new BsonDocument("create", "c"));
        await _host.OkAsync(new BsonDocument { { "create", "k" }, { "capped", true }, { "size", 1000 } });

        var same = await _host.OkAsync(new BsonDocument("create", "c"));
        var sameCapped = await _host.OkAsync(new BsonDocument { { "create", "k" }, { "capped", true }, { "size", 1024 } });
        var exists = await _host.FailsAsync(new BsonDocument { { "create", "c" }, { "capped", true }, { "size", 4096 } }, 48);
        var noSize = await _host.FailsAsync(new BsonDocument { { "create", "d" }, { "capped", true } }, 72);
        var zero = await _host.FailsAsync(new BsonDocument { { "create", "d" }, { "capped", true }, { "size", 0 } }, 51024);
        var notCapped = await _host.FailsAsync(new BsonDocument { { "create", "d" }, { "size", 10 } }, 72);
        var badName = await _host.FailsAsync(new BsonDocument("create", "a$b"), 73);

        Assert.Equal(new BsonDocument("ok", 1.0), same);
        Assert.Equal(new BsonDocument("ok", 1.0), sameCapped);
        var uuid = ((BsonBinaryData)CommandHost.FirstBatch(await _host.OkAsync(new BsonDocument { { "listCollections", 1 }, { "filter", new BsonDocument("name", "c") } }))[0]["info"].AsDocument["uuid"]).ToGuid();
        Assert.Equal($"namespace app.c already exists, but with different options: {{ uuid: UUID(\"{uuid}\") }}", exists["errmsg"].AsString);
        Assert.Equal("the 'size' field is required when 'capped' is true", noSize["errmsg"].AsString);
        Assert.Equal("BSON field 'size' value must be >= 1, actual value '0'", zero["errmsg"].AsString);
        Assert.Equal("the 'capped' field needs to be true when either the 'size' or 'max' fields are present", notCapped["errmsg"].AsString);
        Assert.Equal("Invalid collection name: a$b", badName["errmsg"].AsString);
    }

    [Fact]
    public async Task ListCollections_filters_names_and_pages_with_getMore()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await _host.OkAsync(new BsonDocument("create", name));
        }

        var filtered = await _host.OkAsync(new BsonDocument { { "listCollections", 1 }, { "filter", new BsonDocument("name", new BsonDocument("$in", new BsonArray { "a", "c" })) }, { "nameOnly", true } });
        var paged = await _host.OkAsync(new BsonDocument { { "listCollections", 1 }, { "cursor", new BsonDocument("batchSize", 1) } });
        var id = CommandHost.CursorId(paged);
        var more = await _host.OkAsync(new BsonDocument { { "getMore", id }, { "collection", "$cmd.listCollections" } });

        Assert.Equal(
            [new BsonDocument { { "name", "a" }, { "type", "collection" } }, new BsonDocument { { "name", "c" }, { "type", "collection" } }],
            CommandHost.FirstBatch(filtered));
        Assert.Single(CommandHost.FirstBatch(paged));
        Assert.NotEqual(0, id);
        Assert.Equal(["b", "c"], CommandHost.NextBatch(more).Select(e => e["name"].AsString));
    }

    [Fact]
    public async Task Drop_reports_the_index_count_and_a_missing_collection_is_a_no_op()
    {
        await _host.InsertAsync("c", new BsonDocument("_id", 1));

        var dropped = await _host.OkAsync(new BsonDocument("drop", "c"));
        var missing = await _host.OkAsync(new BsonDocument("drop", "c"));

        Assert.Equal(new BsonDocument { { "nIndexesWas", 1 }, { "ns", "app.c" }, { "ok", 1.0 } }, dropped);
        Assert.Equal(new BsonDocument("ok", 1.0), missing);
        Assert.Null(_host.Storage.GetCollection("app", "c"));
    }

    [Fact]
    public async Task DropDatabase_removes_every_collection()
    {
        await _host.InsertAsync("a", new BsonDocument());
        await _host.InsertAsync("b", new BsonDocument());

        var reply = await _host.OkAsync(new BsonDocument("dropDatabase", 1));
        var again = await _host.OkAsync(new BsonDocument("dropDatabase", 1));

        Assert.Equal(new BsonDocument("ok", 1.0), reply);
        Assert.Equal(new BsonDocument("ok", 1.0), again);
        Assert.Empty(_host.Storage.ListCollections("app"));
    }

    [Fact]
    public async Task RenameCollection_moves_documents_and_checks_its_target()
    {
        await _host.InsertAsync("a", new BsonDocument("_id", 1));
        await _host.InsertAsync("b", new BsonDocument("_id", 2));

        var notAdmin = await _host.FailsAsync(new BsonDocument { { "renameCollection", "app.a" }, { "to", "app.x" } }, 13);
        var exists = await _host.FailsAsync(new BsonDocument { { "renameCollection", "app.a" }, { "to", "app.b" } }, 48, "admin");
        var self = await _host.FailsAsync(new BsonDocument { { "renameCollection", "app.a" }, { "to", "app.a" } }, 20, "admin");
        var missing = await _host.FailsAsync(new BsonDocument { { "renameCollection", "app.zz" }, { "to", "app.y" } }, 26, "admin");
        await _host.OkAsync(new BsonDocument { { "renameCollection", "app.a" }, { "to", "other.moved" } }, "admin");
        await _host.OkAsync(new BsonDocument { { "renameCollection", "other.moved" }, { "to", "app.b" }, { "dropTarget", true } }, "admin");

        Assert.Equal("renameCollection may only be run against the admin database.", notAdmin["errmsg"].AsString);
        Assert.Equal("target namespace exists", exists["errmsg"].AsString);
        Assert.Equal("Can't rename a collection to itself", self["errmsg"].AsString);
        Assert.Equal("Source collection app.zz does not exist", missing["errmsg"].AsString);
        Assert.Equal([new BsonDocument("_id", 1)], await _host.AllAsync("b"));
        Assert.Null(_host.Storage.GetCollection("app", "a"));
    }

    [Fact]
    public async Task ListDatabases_reports_sizes_names_and_filters()
    {
        await _host.InsertAsync("c", new BsonDocument("_id", 1));
        await _host.OkAsync(new BsonDocument("create", "x"), "zeta");

        var full = await _host.OkAsync(new BsonDocument("listDatabases", 1), "admin");
        var names = await _host.OkAsync(new BsonDocument { { "listDatabases", 1 }, { "nameOnly", true }, { "filter", new BsonDocument("name", "zeta") } }, "admin");
        await _host.FailsAsync(new BsonDocument("listDatabases", 1), 13);

        var databases = full["databases"].AsArray.Select(d => d.AsDocument).ToList();
        Assert.Equal(["app", "zeta"], databases.Select(d => d["name"].AsString));
        Assert.Equal(["name", "sizeOnDisk", "empty"], databases[0].Names);
        Assert.True(databases[0]["sizeOnDisk"].AsInt64 > 0);
        Assert.Equal(databases.Sum(d => d["sizeOnDisk"].AsInt64), full["totalSize"].AsInt64);
        Assert.Equal(new BsonDocument { { "databases", new BsonArray { new BsonDocument("name", "zeta") } }, { "ok", 1.0 } }, names);
    }
}
