using System.Security.Cryptography;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Stats;

public sealed class StatsCommandTests : IAsyncLifetime
{
    private static readonly BsonDocument[] Documents =
    [
        new() { { "_id", "b" }, { "v", 2 } },
        new() { { "_id", 3 }, { "v", new BsonArray { 1, 2 } } },
        new() { { "_id", "a" }, { "v", "text" } },
        new() { { "_id", 1.5 }, { "v", new BsonDocument("x", 1) } },
    ];

    private readonly CommandHost _first = new();
    private readonly CommandHost _second = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task DbHash_is_the_same_for_the_same_data_inserted_in_any_order()
    {
        await _first.InsertAsync("items", Documents);
        await _second.InsertAsync("items", [.. Documents.Reverse()]);
        await _first.OkAsync(new BsonDocument { { "create", "log" }, { "capped", true }, { "size", 4096 } });
        await _second.OkAsync(new BsonDocument { { "create", "log" }, { "capped", true }, { "size", 4096 } });

        var a = await _first.OkAsync(new BsonDocument("dbHash", 1));
        var b = await _second.OkAsync(new BsonDocument("dbHash", 1));

        Assert.Equal(["host", "collections", "capped", "uuids", "md5", "timeMillis", "ok"], a.Names);
        Assert.Equal(a["collections"], b["collections"]);
        Assert.Equal(a["md5"], b["md5"]);
        Assert.Equal(new BsonArray { "log" }, a["capped"]);
        Assert.Equal(["items", "log"], a["uuids"].AsDocument.Names);
    }

    [Fact]
    public async Task DbHash_is_md5_over_the_documents_in_id_order_and_changes_with_the_data()
    {
        await _first.InsertAsync("items", Documents);
        var before = await _first.OkAsync(new BsonDocument("dbHash", 1));
        await _first.OkAsync(new BsonDocument { { "update", "items" }, { "updates", new BsonArray { new BsonDocument { { "q", new BsonDocument("_id", "a") }, { "u", new BsonDocument("$set", new BsonDocument("v", "changed")) } } } } });
        var after = await _first.OkAsync(new BsonDocument("dbHash", 1));

        var ordered = Documents.OrderBy(d => d["_id"], BsonValueComparer.Instance).SelectMany(BsonCodec.ToBytes).ToArray();
        var expected = Convert.ToHexStringLower(MD5.HashData(ordered));
        Assert.Equal(expected, before["collections"].AsDocument["items"].AsString);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(expected))), before["md5"].AsString);
        Assert.NotEqual(before["collections"].AsDocument["items"], after["collections"].AsDocument["items"]);
        Assert.NotEqual(before["md5"], after["md5"]);
    }

    [Fact]
    public async Task DbHash_can_be_limited_to_named_collections()
    {
        await _first.InsertAsync("items", Documents);
        await _first.InsertAsync("other", new BsonDocument("_id", 1));

        var reply = await _first.OkAsync(new BsonDocument { { "dbHash", 1 }, { "collections", new BsonArray { "other" } } });

        Assert.Equal(["other"], reply["collections"].AsDocument.Names);
    }

    [Fact]
    public async Task CollStats_reports_counts_sizes_and_capped_limits()
    {
        await _first.InsertAsync("items", Documents);
        await _first.OkAsync(new BsonDocument { { "create", "log" }, { "capped", true }, { "size", 8192 }, { "max", 5 } });

        var items = await _first.OkAsync(new BsonDocument("collStats", "items"));
        var log = await _first.OkAsync(new BsonDocument("collStats", "log"));
        var missing = await _first.OkAsync(new BsonDocument("collStats", "none"));

        var size = Documents.Sum(d => BsonCodec.GetEncodedSize(d));
        Assert.Equal("app.items", items["ns"].AsString);
        Assert.Equal((size, 4, size / 4), (items["size"].AsInt32, items["count"].AsInt32, items["avgObjSize"].AsInt32));
        Assert.False(items["capped"].AsBoolean);
        Assert.Equal(1, items["nindexes"].AsInt32);
        Assert.Equal(["_id_"], items["indexSizes"].AsDocument.Names);
        Assert.True(log["capped"].AsBoolean);
        Assert.Equal((5, 8192), (log["max"].AsInt32, log["maxSize"].AsInt32));
        Assert.Equal(0, missing["count"].AsInt32);
    }

    [Fact]
    public async Task DbStats_sums_the_collections_of_the_database()
    {
        await _first.InsertAsync("items", Documents);
        await _first.InsertAsync("other", new BsonDocument("_id", 1));

        var reply = await _first.OkAsync(new BsonDocument { { "dbStats", 1 }, { "scale", 1 } });
        var empty = await _first.OkAsync(new BsonDocument("dbStats", 1), "nothing");

        Assert.Equal("app", reply["db"].AsString);
        Assert.Equal((2L, 5L, 2L), (reply["collections"].AsInt64, reply["objects"].AsInt64, reply["indexes"].AsInt64));
        Assert.Equal(Documents.Sum(d => BsonCodec.GetEncodedSize(d)) + BsonCodec.GetEncodedSize(new BsonDocument("_id", 1)), reply["dataSize"].AsDouble);
        Assert.Equal(reply["storageSize"].AsDouble + reply["indexSize"].AsDouble, reply["totalSize"].AsDouble);
        Assert.Equal(0L, empty["collections"].AsInt64);
    }
}
