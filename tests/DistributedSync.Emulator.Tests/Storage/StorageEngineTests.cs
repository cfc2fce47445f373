using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;
using Xunit;

namespace DistributedSync.Emulator.Tests.Storage;

public sealed class StorageEngineTests : IDisposable
{
    private readonly TempDbPath _dir = new();
    private readonly StorageEngine _engine;

    public StorageEngineTests() => _engine = StorageEngine.Open(_dir.Path);

    public void Dispose()
    {
        _engine.Dispose();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Inserted_documents_are_read_back_in_insertion_order()
    {
        await _engine.WriteAsync(w =>
        {
            var c = w.GetOrCreateCollection("app", "items");
            for (var i = 0; i < 5; i++)
            {
                w.Insert(c, new BsonDocument { { "_id", 10 - i }, { "n", i } });
            }

            return 0;
        }, cancellationToken: Ct);

        using var read = _engine.OpenRead();
        var info = read.GetCollection("app", "items")!;
        var docs = read.Scan(info).ToList();
        Assert.Equal([0, 1, 2, 3, 4], docs.Select(d => d.Document["n"].AsInt32));
        Assert.Equal(5, read.GetCounters(info).Count);
        Assert.True(docs.Zip(docs.Skip(1)).All(p => p.First.RecordId < p.Second.RecordId));
    }

    [Fact]
    public async Task Ids_equal_by_value_across_numeric_types_are_duplicates()
    {
        await _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "c"), new BsonDocument("_id", 1)), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ServerErrorException>(() =>
            _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "c"), new BsonDocument("_id", 1.0)), cancellationToken: Ct));

        Assert.Equal(ErrorCodes.DuplicateKey, error.Code);
        Assert.Equal("DuplicateKey", error.CodeName);
        Assert.Equal(new BsonDocument("_id", 1), error.Extra!["keyPattern"]);
        Assert.Equal(new BsonDocument("_id", 1.0), error.Extra!["keyValue"]);
        Assert.Contains("E11000 duplicate key error collection: app.c index: _id_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_request_in_a_group_does_not_undo_the_others()
    {
        await _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "g"), new BsonDocument("_id", 0)), cancellationToken: Ct);

        // 200 concurrent requests, every tenth reuses _id 0 and must fail alone.
        var tasks = Enumerable.Range(1, 200).Select(i => _engine.WriteAsync(
            w => w.Insert(w.GetOrCreateCollection("app", "g"), new BsonDocument("_id", i % 10 == 0 ? 0 : i)),
            cancellationToken: Ct)).ToList();
        var outcomes = await Task.WhenAll(tasks.Select(async t =>
        {
            try
            {
                await t;
                return true;
            }
            catch (ServerErrorException e) when (e.Code == ErrorCodes.DuplicateKey)
            {
                return false;
            }
        }));

        Assert.Equal(180, outcomes.Count(o => o));
        using var read = _engine.OpenRead();
        var info = read.GetCollection("app", "g")!;
        var ids = read.Scan(info).Select(d => d.Document["_id"].AsInt32).ToHashSet();
        Assert.Equal(181, ids.Count);
        Assert.All(Enumerable.Range(1, 200).Where(i => i % 10 != 0), i => Assert.Contains(i, ids));
        Assert.Equal(181, read.GetCounters(info).Count);
    }

    [Fact]
    public async Task A_failing_request_that_created_a_collection_leaves_no_collection()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _engine.WriteAsync<int>(w =>
        {
            w.Insert(w.GetOrCreateCollection("app", "ghost"), new BsonDocument("_id", 1));
            throw new InvalidOperationException("boom");
        }, cancellationToken: Ct));

        Assert.Null(_engine.GetCollection("app", "ghost"));
        await _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "ghost"), new BsonDocument("_id", 1)), cancellationToken: Ct);
        Assert.Equal(1, _engine.GetCounters("app", "ghost").Count);
    }

    [Fact]
    public async Task Unique_index_rejects_duplicates_and_reports_key_pattern_and_value()
    {
        await _engine.WriteAsync(w =>
        {
            var c = w.GetOrCreateCollection("app", "users");
            c = w.CreateIndex(c, new IndexDefinition("email_1", new BsonDocument("email", 1), true, false,
                new BsonDocument { { "v", 2 }, { "key", new BsonDocument("email", 1) }, { "name", "email_1" }, { "unique", true } }));
            w.Insert(c, new BsonDocument { { "_id", 1 }, { "email", "a@x" } });
            return 0;
        }, cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ServerErrorException>(() => _engine.WriteAsync(
            w => w.Insert(w.GetCollection("app", "users")!, new BsonDocument { { "_id", 2 }, { "email", "a@x" } }), cancellationToken: Ct));

        Assert.Equal(ErrorCodes.DuplicateKey, error.Code);
        Assert.Equal(new BsonDocument("email", 1), error.Extra!["keyPattern"]);
        Assert.Equal(new BsonDocument("email", "a@x"), error.Extra!["keyValue"]);
        Assert.Equal(1, _engine.GetCounters("app", "users").Count);
    }

    [Fact]
    public async Task Unique_index_entries_follow_updates_and_deletes()
    {
        var index = new IndexDefinition("k_1", new BsonDocument("k", 1), true, false, new BsonDocument { { "name", "k_1" }, { "key", new BsonDocument("k", 1) } });
        await _engine.WriteAsync(w =>
        {
            var c = w.CreateIndex(w.GetOrCreateCollection("app", "u"), index);
            w.Insert(c, new BsonDocument { { "_id", 1 }, { "k", "old" } });
            var stored = w.FindById(c, 1)!;
            w.Replace(c, stored, new BsonDocument { { "_id", 1 }, { "k", "new" } });
            return 0;
        }, cancellationToken: Ct);

        // "old" is free again, "new" is taken.
        await _engine.WriteAsync(w => w.Insert(w.GetCollection("app", "u")!, new BsonDocument { { "_id", 2 }, { "k", "old" } }), cancellationToken: Ct);
        await Assert.ThrowsAsync<ServerErrorException>(() => _engine.WriteAsync(
            w => w.Insert(w.GetCollection("app", "u")!, new BsonDocument { { "_id", 3 }, { "k", "new" } }), cancellationToken: Ct));

        await _engine.WriteAsync(w =>
        {
            var c = w.GetCollection("app", "u")!;
            w.Delete(c, w.FindById(c, 1)!);
            return w.Insert(c, new BsonDocument { { "_id", 3 }, { "k", "new" } });
        }, cancellationToken: Ct);
        Assert.Equal(2, _engine.GetCounters("app", "u").Count);
    }

    [Fact]
    public async Task A_document_refused_by_a_unique_index_leaves_nothing_behind_within_its_request()
    {
        var index = new IndexDefinition("k_1", new BsonDocument("k", 1), true, false, new BsonDocument { { "name", "k_1" }, { "key", new BsonDocument("k", 1) } });
        var outcome = await _engine.WriteAsync(w =>
        {
            var c = w.CreateIndex(w.GetOrCreateCollection("app", "atomic"), index);
            w.Insert(c, new BsonDocument { { "_id", 1 }, { "k", "x" } });
            var stored = w.FindById(c, 1)!;
            w.Insert(c, new BsonDocument { { "_id", 2 }, { "k", "y" } });

            // Both refusals are caught inside the same request, which then goes on and commits.
            var insertRefused = Assert.Throws<ServerErrorException>(() => w.Insert(c, new BsonDocument { { "_id", 3 }, { "k", "x" } }));
            var replaceRefused = Assert.Throws<ServerErrorException>(() => w.Replace(c, stored, new BsonDocument { { "_id", 1 }, { "k", "y" } }));
            return (insertRefused.Code, replaceRefused.Code);
        }, cancellationToken: Ct);

        Assert.Equal((ErrorCodes.DuplicateKey, ErrorCodes.DuplicateKey), outcome);
        using var read = _engine.OpenRead();
        var info = read.GetCollection("app", "atomic")!;
        Assert.Null(read.FindById(info, 3));
        Assert.Equal("x", read.FindById(info, 1)!.Document["k"].AsString);
        Assert.Equal(2, read.GetCounters(info).Count);

        // The index still holds "x" for _id 1: the failed replace did not drop its entry.
        await Assert.ThrowsAsync<ServerErrorException>(() => _engine.WriteAsync(
            w => w.Insert(w.GetCollection("app", "atomic")!, new BsonDocument { { "_id", 4 }, { "k", "x" } }), cancellationToken: Ct));
    }

    [Fact]
    public async Task Creating_a_unique_index_over_duplicates_fails_and_leaves_no_index()
    {
        await _engine.WriteAsync(w =>
        {
            var c = w.GetOrCreateCollection("app", "d");
            w.Insert(c, new BsonDocument { { "_id", 1 }, { "k", 5 } });
            w.Insert(c, new BsonDocument { { "_id", 2 }, { "k", 5L } });
            return 0;
        }, cancellationToken: Ct);

        var index = new IndexDefinition("k_1", new BsonDocument("k", 1), true, false, new BsonDocument { { "name", "k_1" }, { "key", new BsonDocument("k", 1) } });
        var error = await Assert.ThrowsAsync<ServerErrorException>(() => _engine.WriteAsync(
            w => w.CreateIndex(w.GetCollection("app", "d")!, index), cancellationToken: Ct));
        Assert.Equal(ErrorCodes.DuplicateKey, error.Code);
        Assert.Single(_engine.GetCollection("app", "d")!.Indexes);
    }

    [Fact]
    public async Task Capped_collection_drops_oldest_documents_by_count_and_keeps_record_ids_increasing()
    {
        await _engine.WriteAsync(w =>
        {
            var c = w.CreateCollection("app", "cap", CollectionOptions.ForCapped(1 << 20, 3, new BsonDocument { { "capped", true }, { "size", 1 << 20 }, { "max", 3 } }));
            for (var i = 0; i < 10; i++)
            {
                w.Insert(c, new BsonDocument("_id", i));
            }

            return 0;
        }, cancellationToken: Ct);

        using var read = _engine.OpenRead();
        var info = read.GetCollection("app", "cap")!;
        var docs = read.Scan(info).ToList();
        Assert.Equal([7, 8, 9], docs.Select(d => d.Document["_id"].AsInt32));
        Assert.Equal(docs[0].RecordId, read.MinRecordId(info));
        Assert.Equal(10, docs[^1].RecordId);
    }

    [Fact]
    public async Task Capped_collection_is_bounded_by_size()
    {
        var options = CollectionOptions.ForCapped(5000, null, new BsonDocument { { "capped", true }, { "size", 5000 } });
        Assert.Equal(5120, options.MaxSize);
        await _engine.WriteAsync(w =>
        {
            var c = w.CreateCollection("app", "capsize", options);
            for (var i = 0; i < 100; i++)
            {
                w.Insert(c, new BsonDocument { { "_id", i }, { "pad", new string('x', 200) } });
            }

            return 0;
        }, cancellationToken: Ct);

        var (count, bytes) = _engine.GetCounters("app", "capsize");
        Assert.InRange(bytes, 1, 5120);
        Assert.True(count is > 10 and < 100, $"count {count}");
    }

    [Fact]
    public async Task Data_survives_reopening_the_dbpath()
    {
        await _engine.WriteAsync(w =>
        {
            var c = w.CreateCollection("app", "keep", CollectionOptions.ForCapped(8192, 50, new BsonDocument { { "capped", true }, { "size", 8192 }, { "max", 50 } }));
            w.Insert(c, new BsonDocument { { "_id", "a" }, { "v", 1 } });
            return 0;
        }, cancellationToken: Ct);
        _engine.Dispose();

        using var reopened = StorageEngine.Open(_dir.Path);
        var info = reopened.GetCollection("app", "keep")!;
        Assert.True(info.Options.Capped);
        Assert.Equal(50, info.Options.MaxDocuments);
        using var read = reopened.OpenRead();
        Assert.Equal(new BsonDocument { { "_id", "a" }, { "v", 1 } }, read.FindById(info, "a")!.Document);
    }

    [Fact]
    public void A_second_engine_on_the_same_dbpath_is_refused()
    {
        var error = Assert.Throws<StorageLockedException>(() => StorageEngine.Open(_dir.Path));
        Assert.Contains("already using it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rename_and_drop_move_and_remove_collections()
    {
        await _engine.WriteAsync(w =>
        {
            w.Insert(w.GetOrCreateCollection("app", "a"), new BsonDocument("_id", 1));
            w.RenameCollection("app", "a", "app", "b", dropTarget: false);
            return 0;
        }, cancellationToken: Ct);
        Assert.Null(_engine.GetCollection("app", "a"));
        Assert.Equal(1, _engine.GetCounters("app", "b").Count);

        var dropped = await _engine.WriteAsync(w => w.DropDatabase("app"), cancellationToken: Ct);
        Assert.Equal(1, dropped);
        Assert.Empty(_engine.ListDatabases());
    }

    [Fact]
    public async Task A_read_snapshot_does_not_see_later_commits()
    {
        await _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "s"), new BsonDocument("_id", 1)), cancellationToken: Ct);
        using var read = _engine.OpenRead();
        await _engine.WriteAsync(w => w.Insert(w.GetOrCreateCollection("app", "s"), new BsonDocument("_id", 2)), cancellationToken: Ct);

        var info = read.GetCollection("app", "s")!;
        Assert.Single(read.Scan(info));
        Assert.Equal(1, read.GetCounters(info).Count);
    }
}
