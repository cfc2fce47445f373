using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Crud;
using Xunit;

namespace DistributedSync.Emulator.Tests.Cursors;

public sealed class TailableCursorTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly CommandHost _host;

    public TailableCursorTests() => _host = new CommandHost(_time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => await _host.OkAsync(new BsonDocument { { "create", "log" }, { "capped", true }, { "size", 100_000 }, { "max", 3 } });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_tailable_cursor_stays_open_at_the_end_and_picks_up_new_documents()
    {
        await _host.InsertAsync("log", new BsonDocument("_id", 1), new BsonDocument("_id", 2));
        var find = await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true } });
        var id = CommandHost.CursorId(find);

        var empty = await GetMore(id);
        await _host.InsertAsync("log", new BsonDocument("_id", 3));
        var next = await GetMore(id);

        Assert.Equal([1, 2], CommandHost.FirstBatch(find).Select(d => d["_id"].AsInt32));
        Assert.NotEqual(0, id);
        Assert.Empty(CommandHost.NextBatch(empty));
        Assert.Equal(id, CommandHost.CursorId(empty));
        Assert.Equal([3], CommandHost.NextBatch(next).Select(d => d["_id"].AsInt32));
    }

    [Fact]
    public async Task A_tailable_find_on_an_empty_capped_collection_returns_a_dead_cursor_like_mongod()
    {
        var find = await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true }, { "awaitData", true } });

        Assert.Empty(CommandHost.FirstBatch(find));
        Assert.Equal(0, CommandHost.CursorId(find));
    }

    [Fact]
    public async Task An_awaitData_getMore_returns_when_a_concurrent_insert_commits()
    {
        await _host.InsertAsync("log", new BsonDocument("_id", 1));
        var id = CommandHost.CursorId(await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true }, { "awaitData", true } }));

        var waiting = GetMore(id, maxTimeMs: 60_000);
        await WaitUntilAsync(() => _time.PendingOneShotTimers > 0);
        Assert.False(waiting.IsCompleted);
        await _host.InsertAsync("log", new BsonDocument("_id", 2));
        var reply = await waiting.WaitAsync(Patience, Ct);

        Assert.Equal([2], CommandHost.NextBatch(reply).Select(d => d["_id"].AsInt32));
        Assert.Equal(id, CommandHost.CursorId(reply));
    }

    [Fact]
    public async Task An_awaitData_getMore_returns_an_empty_batch_once_maxTimeMS_passes()
    {
        await _host.InsertAsync("log", new BsonDocument("_id", 1));
        var id = CommandHost.CursorId(await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true }, { "awaitData", true } }));

        var waiting = GetMore(id, maxTimeMs: 5_000);
        await WaitUntilAsync(() => _time.PendingOneShotTimers > 0);
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        var reply = await waiting.WaitAsync(Patience, Ct);

        Assert.Empty(CommandHost.NextBatch(reply));
        Assert.Equal(id, CommandHost.CursorId(reply));
    }

    [Fact]
    public async Task A_cursor_whose_position_was_trimmed_fails_with_CappedPositionLost()
    {
        await _host.InsertAsync("log", new BsonDocument("_id", 1), new BsonDocument("_id", 2), new BsonDocument("_id", 3));
        var id = CommandHost.CursorId(await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true }, { "batchSize", 1 } }));

        await _host.InsertAsync("log", new BsonDocument("_id", 4), new BsonDocument("_id", 5), new BsonDocument("_id", 6));
        var lost = await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "log" } }, 136);

        Assert.Equal("CappedPositionLost", lost["codeName"].AsString);
        Assert.StartsWith("Executor error during getMore :: caused by :: CollectionScan died due to position in capped collection being deleted. Last seen record id: RecordId(", lost["errmsg"].AsString, StringComparison.Ordinal);
        await _host.FailsAsync(new BsonDocument { { "getMore", id }, { "collection", "log" } }, 43);
    }

    [Fact]
    public async Task A_cursor_still_inside_the_capped_window_keeps_reading()
    {
        await _host.InsertAsync("log", new BsonDocument("_id", 1), new BsonDocument("_id", 2), new BsonDocument("_id", 3));
        var id = CommandHost.CursorId(await _host.OkAsync(new BsonDocument { { "find", "log" }, { "tailable", true }, { "batchSize", 3 } }));

        await _host.InsertAsync("log", new BsonDocument("_id", 4), new BsonDocument("_id", 5));
        var next = await GetMore(id);

        Assert.Equal([4, 5], CommandHost.NextBatch(next).Select(d => d["_id"].AsInt32));
    }

    private Task<BsonDocument> GetMore(long id, int? maxTimeMs = null)
    {
        var command = new BsonDocument { { "getMore", id }, { "collection", "log" } };
        if (maxTimeMs is { } ms)
        {
            command.Add("maxTimeMS", ms);
        }

        return _host.OkAsync(command);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(5, Ct);
        }
    }
}
