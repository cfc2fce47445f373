using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Cursors;

public sealed class CursorLifecycleTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly CommandHost _host;

    public CursorLifecycleTests() => _host = new CommandHost(_time);

    public async ValueTask InitializeAsync()
        => await _host.InsertAsync("c", [.. Enumerable.Range(0, 10).Select(i => new BsonDocument("_id", i))]);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task GetMore_checks_the_namespace_without_closing_the_cursor()
    {
        var id = await OpenAsync();

        var wrong = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "other" } }, 13);
        var right = await _host.OkAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "batchSize", 1 } });

        Assert.Equal("Requested getMore on namespace 'app.other', but cursor belongs to a different namespace app.c", wrong["errmsg"].AsString);
        Assert.Equal([1], CommandHost.NextBatch(right).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task GetMore_arguments_are_validated()
    {
        var id = await OpenAsync();

        var intId = await _host.FailsAsync(new BsonDocument { { "getMore", 5 }, { "collection", "c" } }, 14);
        var noCollection = await _host.FailsAsync(new BsonDocument("getMore", id), 40414);
        var negative = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "batchSize", -1 } }, 51024);
        var maxTime = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "maxTimeMS", 100 } }, 2);
        var after = await _host.OkAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } });

        Assert.Equal("BSON field 'getMore.getMore' is the wrong type 'int', expected type 'long'", intId["errmsg"].AsString);
        Assert.Equal("BSON field 'getMore.collection' is missing but a required field", noCollection["errmsg"].AsString);
        Assert.Equal("BSON field 'batchSize' value must be >= 0, actual value '-1'", negative["errmsg"].AsString);
        Assert.Equal("cannot set maxTimeMS on getMore command for a non-awaitData cursor", maxTime["errmsg"].AsString);
        Assert.Equal(9, CommandHost.NextBatch(after).Count);
    }

    [Fact]
    public async Task KillCursors_reports_killed_and_unknown_ids()
    {
        var id = await OpenAsync();

        var reply = await _host.OkAsync(new BsonDocument { { "killCursors", "c" }, { "cursors", new BsonArray { id, 12345L } } });
        var wrongType = await _host.FailsAsync(new BsonDocument { { "killCursors", "c" }, { "cursors", new BsonArray { id, 7 } } }, 14);

        Assert.Equal(
            new BsonDocument
            {
                { "cursorsKilled", new BsonArray { id } },
                { "cursorsNotFound", new BsonArray { 12345L } },
                { "cursorsAlive", new BsonArray() },
                { "cursorsUnknown", new BsonArray() },
                { "ok", 1.0 },
            },
            reply);
        Assert.Equal("BSON field 'killCursors.cursors.1' is the wrong type 'int', expected type 'long'", wrongType["errmsg"].AsString);
        await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } }, 43);
    }

    [Fact]
    public async Task Idle_cursors_time_out_after_10_minutes_unless_noCursorTimeout()
    {
        var idle = await OpenAsync();
        var immortal = await OpenAsync(new BsonDocument("noCursorTimeout", true));
        var used = await OpenAsync();

        _time.Advance(TimeSpan.FromMinutes(6));
        await _host.OkAsync(new BsonDocument { { "getMore", used }, { "collection", "c" }, { "batchSize", 1 } });
        _time.Advance(TimeSpan.FromMinutes(5));

        await _host.FailsAsync(new BsonDocument { { "getMore", idle }, { "collection", "c" } }, 43);
        await _host.OkAsync(new BsonDocument { { "getMore", immortal }, { "collection", "c" }, { "batchSize", 1 } });
        await _host.OkAsync(new BsonDocument { { "getMore", used }, { "collection", "c" }, { "batchSize", 1 } });
    }

    [Fact]
    public async Task The_periodic_sweep_closes_idle_cursors_on_its_own()
    {
        await OpenAsync();
        var manager = CursorManager.For(_host.Server);
        Assert.Equal(1, manager.Count);

        _time.Advance(TimeSpan.FromMinutes(10) + CursorManager.SweepInterval + TimeSpan.FromSeconds(1));

        Assert.Equal(0, manager.Count);
    }

    [Fact]
    public async Task GetMore_must_come_from_the_session_that_opened_the_cursor()
    {
        var session = new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid()));
        var other = new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid()));
        var find = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "batchSize", 1 }, { "lsid", session } });
        var id = CommandHost.CursorId(find);

        var wrong = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "lsid", other } }, 50738);
        var none = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } }, 50737);
        var right = await _host.OkAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "lsid", session } });

        Assert.StartsWith($"Cannot run getMore on cursor {id}, which was created in session ", wrong["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Contains(", without an lsid", none["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Equal(9, CommandHost.NextBatch(right).Count);
    }

    [Fact]
    public async Task Ending_a_session_kills_its_cursors()
    {
        var session = new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid()));
        var find = await _host.OkAsync(new BsonDocument { { "find", "c" }, { "batchSize", 1 }, { "lsid", session } });

        await _host.OkAsync(new BsonDocument("endSessions", new BsonArray { session }), "admin");

        await _host.FailsAsync(new BsonDocument { { "getMore", CommandHost.CursorId(find) }, { "collection", "c" }, { "lsid", session } }, 43);
    }

    private async Task<long> OpenAsync(BsonDocument? extra = null)
    {
        var command = new BsonDocument { { "find", "c" }, { "batchSize", 1 } };
        foreach (var element in extra ?? [])
        {
            command.Add(element.Name, element.Value);
        }

        var id = CommandHost.CursorId(await _host.OkAsync(command));
        Assert.NotEqual(0, id);
        return id;
    }
}
