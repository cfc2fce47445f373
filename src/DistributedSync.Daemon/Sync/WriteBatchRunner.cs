using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// Executes one group-commit batch (<see cref="AppendBatch"/>) on the master, as the only writer:
/// checks the master's stored term and oplog end, turns every operation into an oplog entry
/// holding the document after the change, appends all entries to the master's oplog FIRST, then
/// applies them to the data and records the applied position.
/// <para>
/// Post-images of operator updates (<c>$set</c>, <c>$inc</c>, ...) are computed by the server
/// itself without touching the data: the current document is copied into the master's
/// <c>scratch</c> collection of the metadata database, the update runs there with
/// findOneAndUpdate(returnDocument: after), and the result is the post-image. The data
/// collection changes only later, through the oplog entry, so the oplog always leads the data.
/// </para>
/// <para>
/// Duplicate <c>_id</c>s are detected before anything is written (the batch's own earlier
/// entries are taken into account), so a refused insert leaves no oplog entry behind.
/// </para>
/// </summary>
internal sealed class WriteBatchRunner
{
    private const string ScratchCollection = "scratch";
    private readonly NodeStore _master;
    private readonly TimeProvider _time;
    private readonly Dictionary<DocumentKey, BsonDocument?> _overlay = [];
    private readonly List<OplogEntry> _entries = [];
    private OpPosition _next;
    private long _term;

    public WriteBatchRunner(NodeStore master, TimeProvider time)
    {
        _master = master;
        _time = time;
    }

    public async Task<ClusterEvent> RunAsync(AppendBatch batch, IReadOnlyList<WriteRequest?> requests, CancellationToken ct)
    {
        var stored = await _master.ReadTermAsync(ct).ConfigureAwait(false);
        if (stored.Term > batch.Term)
        {
            return new BatchFailed(batch.MasterId, batch.Term, batch.BatchId, stored.Term);
        }

        var last = await _master.ReadLastPositionAsync(ct).ConfigureAwait(false);
        if (last != batch.ExpectedLast)
        {
            return new BatchFailed(batch.MasterId, batch.Term, batch.BatchId, stored.Term);
        }

        _term = batch.Term;
        _next = last;
        var results = new List<WriteResult>(requests.Count);
        var positions = new List<OpPosition?>(requests.Count);
        foreach (var request in requests)
        {
            OpPosition? position = null;
            if (request is not null)
            {
                var before = _entries.Count;
                await PrepareAsync(request, ct).ConfigureAwait(false);
                if (_entries.Count > before && request.Refusal is null)
                {
                    position = _entries[^1].Position;
                }
            }

            positions.Add(position);
            results.Add(new WriteResult(batch.RequestIds[results.Count], position));
        }

        await _master.AppendAsync(_entries, ct).ConfigureAwait(false);
        await _master.ApplyAsync(_entries, ct).ConfigureAwait(false);
        var end = _entries.Count > 0 ? _entries[^1].Position : last;
        if (_entries.Count > 0)
        {
            var record = await _master.ReadReplicationAsync(ct).ConfigureAwait(false);
            await _master.WriteReplicationAsync(record with { Applied = end }, ct).ConfigureAwait(false);
        }

        // Requests that wrote nothing or were refused are answered here; the decider answers the rest.
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is { } request && positions[i] is null)
            {
                if (request.Refusal is { } refusal)
                {
                    request.Fail(refusal);
                }
                else
                {
                    request.Succeed(new OplogPosition(end.Term, end.Index));
                }
            }
        }

        return new BatchCompleted(batch.MasterId, batch.Term, batch.BatchId, results, end);
    }

    private async Task PrepareAsync(WriteRequest request, CancellationToken ct)
    {
        var counts = request.Counts;
        foreach (var operation in request.Operations)
        {
            var ns = _master.Namespace(operation.Collection);
            switch (operation)
            {
                case InsertOperation insert:
                {
                    var id = insert.Document["_id"];
                    if (await CurrentAsync(ns, id, ct).ConfigureAwait(false) is not null)
                    {
                        request.Counts = counts;
                        request.Refusal = new SyncEngineException(SyncErrorKind.DuplicateKey, $"A document with _id {id} already exists in '{operation.Collection}'.");
                        return;
                    }

                    Add(OplogEntry.Insert(NextPosition(), ns, insert.Document, _time.GetUtcNow()));
                    counts = counts with { Inserted = counts.Inserted + 1 };
                    break;
                }

                case ReplaceOperation replace:
                {
                    var current = await CurrentAsync(ns, replace.Id, ct).ConfigureAwait(false);
                    if (current is null && !replace.Upsert)
                    {
                        break;
                    }

                    var after = WithId(replace.Id, replace.Replacement);
                    if (current is not null && current.Equals(after))
                    {
                        counts = counts with { Matched = counts.Matched + 1 };
                        break;
                    }

                    Add(OplogEntry.Replace(NextPosition(), ns, after, _time.GetUtcNow()));
                    counts = current is null
                        ? counts with { Upserted = counts.Upserted + 1 }
                        : counts with { Matched = counts.Matched + 1, Modified = counts.Modified + 1 };
                    break;
                }

                case UpdateOperation update:
                {
                    var current = await CurrentAsync(ns, update.Id, ct).ConfigureAwait(false);
                    if (current is null)
                    {
                        break;
                    }

                    BsonDocument after;
                    try
                    {
                        after = await PostImageAsync(current, update.Update, ct).ConfigureAwait(false);
                    }
                    catch (MongoException e) when (e is MongoCommandException or MongoWriteException)
                    {
                        request.Counts = counts;
                        request.Refusal = new SyncEngineException(SyncErrorKind.BadValue, $"The update of _id {update.Id} in '{operation.Collection}' failed: {e.Message}");
                        return;
                    }

                    counts = counts with { Matched = counts.Matched + 1 };
                    if (!after.Equals(current))
                    {
                        Add(OplogEntry.Update(NextPosition(), ns, after, _time.GetUtcNow()));
                        counts = counts with { Modified = counts.Modified + 1 };
                    }

                    break;
                }

                case DeleteOperation delete:
                    if (await CurrentAsync(ns, delete.Id, ct).ConfigureAwait(false) is not null)
                    {
                        Add(OplogEntry.Delete(NextPosition(), ns, delete.Id, _time.GetUtcNow()));
                        counts = counts with { Deleted = counts.Deleted + 1 };
                    }

                    break;
            }
        }

        request.Counts = counts;
    }

    private OpPosition NextPosition()
    {
        _next = new OpPosition(_term, _next.Index + 1);
        return _next;
    }

    private void Add(OplogEntry entry)
    {
        _entries.Add(entry);
        _overlay[entry.Key!.Value] = entry.Document;
    }

    private async Task<BsonDocument?> CurrentAsync(string ns, BsonValue id, CancellationToken ct)
    {
        var key = new DocumentKey(ns, id);
        if (_overlay.TryGetValue(key, out var known))
        {
            return known;
        }

        var found = await _master.Data(ns).FindOneAsync(new BsonDocument("_id", id), null, ct).ConfigureAwait(false);
        _overlay[key] = found;
        return found;
    }

    private async Task<BsonDocument> PostImageAsync(BsonDocument current, BsonDocument update, CancellationToken ct)
    {
        var scratch = _master.MetadataDatabase.GetCollection(ScratchCollection);
        var filter = new BsonDocument("_id", current["_id"]);
        await scratch.ReplaceOneAsync(filter, current, new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        try
        {
            var after = await scratch.FindOneAndUpdateAsync(filter, update, new FindOneAndUpdateOptions { ReturnDocument = ReturnDocument.After }, ct).ConfigureAwait(false);
            return after ?? throw new InvalidOperationException("The scratch copy of the document vanished.");
        }
        finally
        {
            await scratch.DeleteOneAsync(filter, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static BsonDocument WithId(BsonValue id, BsonDocument replacement)
    {
        var after = new BsonDocument(replacement.Count + 1).Add("_id", id);
        foreach (var element in replacement)
        {
            if (element.Name != "_id")
            {
                after.Add(element.Name, element.Value);
            }
        }

        return after;
    }
}
