using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Ddl;

public sealed class IndexCommandTests : IAsyncLifetime
{
    private readonly CommandHost _host = new();

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync("c", new BsonDocument { { "_id", 1 }, { "a", 1 }, { "b", 1 } }, new BsonDocument { { "_id", 2 }, { "a", 1 }, { "b", 2 } });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task CreateIndexes_builds_new_indexes_and_treats_identical_ones_as_existing()
    {
        var spec = new BsonDocument { { "key", new BsonDocument { { "a", 1 }, { "b", -1 } } }, { "name", "a_1_b_-1" }, { "unique", true } };

        var first = await Create(spec);
        var again = await Create(spec);
        var list = await _host.OkAsync(new BsonDocument("listIndexes", "c"));

        Assert.Equal(new BsonDocument { { "numIndexesBefore", 1 }, { "numIndexesAfter", 2 }, { "createdCollectionAutomatically", false }, { "ok", 1.0 } }, first);
        Assert.Equal(new BsonDocument { { "numIndexesBefore", 2 }, { "numIndexesAfter", 2 }, { "note", "all indexes already exist" }, { "ok", 1.0 } }, again);
        Assert.Equal("app.$cmd.listIndexes.c", list["cursor"].AsDocument["ns"].AsString);
        Assert.Equal(
            [
                new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } },
                new BsonDocument { { "v", 2 }, { "key", new BsonDocument { { "a", 1 }, { "b", -1 } } }, { "name", "a_1_b_-1" }, { "unique", true } },
            ],
            CommandHost.FirstBatch(list));
    }

    [Fact]
    public async Task A_unique_index_is_enforced_after_it_is_built()
    {
        await Create(new BsonDocument { { "key", new BsonDocument("b", 1) }, { "name", "b_1" }, { "unique", true } });

        var reply = await _host.OkAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument { { "_id", 3 }, { "b", 2 } } } } });

        var error = Assert.Single(reply["writeErrors"].AsArray).AsDocument;
        Assert.Equal("E11000 duplicate key error collection: app.c index: b_1 dup key: { b: 2 }", error["errmsg"].AsString);
    }

    [Fact]
    public async Task Conflicting_names_and_keys_are_refused()
    {
        await Create(new BsonDocument { { "key", new BsonDocument("b", 1) }, { "name", "mine" } });

        var sameName = await _host.FailsAsync(CreateCommand(new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "mine" } }), 86);
        var sameKey = await _host.FailsAsync(CreateCommand(new BsonDocument { { "key", new BsonDocument("b", 1) }, { "name", "other" } }), 85);

        Assert.Equal(
            "An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. "
            + "Requested index: { v: 2, key: { a: 1 }, name: \"mine\" }, existing index: { v: 2, key: { b: 1 }, name: \"mine\" }",
            sameName["errmsg"].AsString);
        Assert.Equal("Index already exists with a different name: mine", sameKey["errmsg"].AsString);
    }

    [Fact]
    public async Task A_unique_build_over_duplicates_fails_and_builds_nothing()
    {
        var reply = await _host.FailsAsync(CreateCommand(
            new BsonDocument { { "key", new BsonDocument("b", 1) }, { "name", "b_1" } },
            new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" }, { "unique", true } }), 11000);

        Assert.StartsWith("Index build failed: ", reply["errmsg"].AsString, StringComparison.Ordinal);
        Assert.EndsWith(":: caused by :: E11000 duplicate key error collection: app.c index: a_1 dup key: { a: 1 }", reply["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(new BsonDocument("a", 1), reply["keyValue"]);
        Assert.Single(_host.Storage.GetCollection("app", "c")!.Indexes);
    }

    [Fact]
    public async Task CreateIndexes_creates_a_missing_collection_and_validates_specs()
    {
        var created = await _host.OkAsync(new BsonDocument { { "createIndexes", "fresh" }, { "indexes", new BsonArray { new BsonDocument { { "key", new BsonDocument("x", 1) }, { "name", "x_1" } } } } });
        var noName = await _host.FailsAsync(CreateCommand(new BsonDocument("key", new BsonDocument("v", 1))), 9);
        var empty = await _host.FailsAsync(new BsonDocument { { "createIndexes", "c" }, { "indexes", new BsonArray() } }, 2);
        var zero = await _host.FailsAsync(CreateCommand(new BsonDocument { { "key", new BsonDocument("v", 0) }, { "name", "v_0" } }), 67);
        var unknown = await _host.FailsAsync(CreateCommand(new BsonDocument { { "key", new BsonDocument("v", 1) }, { "name", "v_1" }, { "bogus", 1 } }), 197);

        Assert.True(created["createdCollectionAutomatically"].AsBoolean);
        Assert.Equal("Error in specification { key: { v: 1 } } :: caused by :: The 'name' field is a required property of an index specification", noName["errmsg"].AsString);
        Assert.Equal("Must specify at least one index to create", empty["errmsg"].AsString);
        Assert.Equal("Error in specification { key: { v: 0 }, name: \"v_0\", v: 2 } :: caused by :: Values in the index key pattern can't be 0.", zero["errmsg"].AsString);
        Assert.StartsWith("The field 'bogus' is not valid for an index specification.", unknown["errmsg"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DropIndexes_by_name_key_or_star_and_never_the_id_index()
    {
        await Create(
            new BsonDocument { { "key", new BsonDocument("a", 1) }, { "name", "a_1" } },
            new BsonDocument { { "key", new BsonDocument("b", 1) }, { "name", "b_1" } },
            new BsonDocument { { "key", new BsonDocument { { "a", 1 }, { "b", 1 } } }, { "name", "ab" } });

        var byName = await _host.OkAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", "a_1" } });
        var byKey = await _host.OkAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", new BsonDocument("b", 1) } });
        var idIndex = await _host.FailsAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", "_id_" } }, 72);
        var unknown = await _host.FailsAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", "nope" } }, 27);
        var unknownKey = await _host.FailsAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", new BsonDocument("z", 1) } }, 27);
        var star = await _host.OkAsync(new BsonDocument { { "dropIndexes", "c" }, { "index", "*" } });
        var missing = await _host.FailsAsync(new BsonDocument { { "dropIndexes", "none" }, { "index", "*" } }, 26);

        Assert.Equal(new BsonDocument { { "nIndexesWas", 4 }, { "ok", 1.0 } }, byName);
        Assert.Equal(3, byKey["nIndexesWas"].AsInt32);
        Assert.Equal("cannot drop _id index", idIndex["errmsg"].AsString);
        Assert.Equal("index not found with name [nope]", unknown["errmsg"].AsString);
        Assert.Equal("can't find index with key: { z: 1 }", unknownKey["errmsg"].AsString);
        Assert.Equal(new BsonDocument { { "nIndexesWas", 2 }, { "msg", "non-_id indexes dropped for collection" }, { "ok", 1.0 } }, star);
        Assert.Equal("ns not found app.none", missing["errmsg"].AsString);
        Assert.Single(_host.Storage.GetCollection("app", "c")!.Indexes);
    }

    [Fact]
    public async Task ListIndexes_of_a_missing_collection_is_NamespaceNotFound()
    {
        var reply = await _host.FailsAsync(new BsonDocument("listIndexes", "none"), 26);

        Assert.Equal("ns does not exist: app.none", reply["errmsg"].AsString);
    }

    private Task<BsonDocument> Create(params BsonDocument[] specs) => _host.OkAsync(CreateCommand(specs));

    private static BsonDocument CreateCommand(params BsonDocument[] specs)
        => new() { { "createIndexes", "c" }, { "indexes", new BsonArray(specs) } };
}
