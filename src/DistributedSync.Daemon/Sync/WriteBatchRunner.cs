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
/// entries are taken into account), so a refused insert leaves no oplog entry behind. Operations
/// of one request are ordered: those before a refused one are written and acknowledged as the
/// write concern asks, then the request fails saying how many were applied (MongoDB's ordered
/// insertMany); the refused one and those after it are not written.
/// </para>
/// <para>
/// <b>Fencing.</b> Standalone mongod has no multi-document transactions, so the term check and
/// the append cannot be one atomic step. After the entries are in the oplog and the data, the
/// master's stored term is read again: if it is no longer the batch's term, a new term was stored
/// on this node (by an election) and the batch is answered with <see cref="BatchFailed"/> carrying
/// that term: nothing of it is acknowledged, its writes fail as deposed and the master steps down.
/// See the Replication README, section "Fencing", for why this suffices.
/// </para>
/// </summary>
internal sealed partial class WriteBatchRunner
{
    private const string ScratchCollection = "scratch";
    private readonly NodeStore _master;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task>? _afterAppend;
    private readonly Dictionary<DocumentKey, BsonDocument?> _overlay = [];
    private readonly List<OplogEntry> _entries = [];
    private OpPosition _next;
    private long _term;

    /// <param name="master">The master's node.</param>
    /// <param name="time">The clock of the entries' wall times.</param>
    /// <param name="afterAppend">Awaited after the append and apply, before the term is read again (a test hook; null in production).</param>
    public WriteBatchRunner(NodeStore master, TimeProvider time, Func<CancellationToken, Task>? afterAppend = null)
    {
        _master = master;
        _time = time;
        _afterAppend = afterAppend;
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
                if (_entries.Count > before)
                {
                    position = _entries[^1].Position; // also when a later operation was refused: the ones before it are written
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

        if (_afterAppend is not null)
        {
            await _afterAppend(ct).ConfigureAwait(false);
        }

        // Fencing: the term read again after the append. A newer term means an election stored it
        // here, maybe before the append: nothing of this batch may be acknowledged.
        var after = await _master.ReadTermAsync(ct).ConfigureAwait(false);
        if (after.Term != batch.Term)
        {
            return new BatchFailed(batch.MasterId, batch.Term, batch.BatchId, after.Term);
        }

        // Requests that wrote nothing are answered here; the decider answers the rest.
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is { } request && positions[i] is null)
            {
                if (request.Refusal is not null)
                {
                    request.Fail(request.RefusalError(null));
                }
                else
                {
                    request.Succeed(new OplogPosition(end.Term, end.Index));
                }
            }
        }

        return new BatchCompleted(batch.MasterId, batch.Term, batch.BatchId, results, end);
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
