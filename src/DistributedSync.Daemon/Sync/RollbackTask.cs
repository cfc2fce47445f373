using DistributedSync.Bson;
using DistributedSync.Daemon.Logging;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// A rollback (<see cref="StartRollback"/>) of a node whose oplog holds entries the source does
/// not have, in the step order of <see cref="RollbackPlan"/>: mark the node <c>rollback</c> with a
/// fresh attempt id, find the common point (<see cref="RollbackPlanner"/>), save the divergent
/// entries to the <c>rollback</c> collection, restore every touched document from the source
/// (or delete it), set applied = common point and minValid = the source's end, truncate the
/// oplog after the common point, and mark the node <c>recovering</c>. The follower task then
/// makes it consistent again once it reaches minValid. Without a common point the node is
/// reported as needing a full resync.
/// <para>
/// The attempt id guards every step after the first (<see cref="RepairAttempt"/>): record writes
/// are conditional on it and every data, rollback-collection and oplog change is preceded by a
/// re-read of it, so a step of an attempt that another attempt has since taken over changes
/// nothing; the task then stops (event RepairSuperseded).
/// </para>
/// </summary>
internal sealed class RollbackTask
{
    private readonly NodeStore _target;
    private readonly NodeStore _source;
    private readonly long _term;
    private readonly OpPosition _expectedLast;
    private readonly Action<ClusterEvent> _post;
    private readonly ILogger _logger;
    private readonly RepairAttempt _attempt;

    public RollbackTask(NodeStore target, NodeStore source, long term, OpPosition expectedLast, Action<ClusterEvent> post, ILogger logger, Func<string, CancellationToken, Task>? beforeStep = null)
    {
        _attempt = new RepairAttempt(target, beforeStep);
        _target = target;
        _source = source;
        _term = term;
        _expectedLast = expectedLast;
        _post = post;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            if (await RepairPreconditions.CheckAsync(_target, _term, _expectedLast, SyncTaskKind.RollingBack, _post, _logger, ct).ConfigureAwait(false) is not { } actualLast)
            {
                return;
            }

            var previous = await _target.ReadReplicationAsync(ct).ConfigureAwait(false);
            var record = await _attempt.ClaimAsync(previous, previous with { State = ReplicationState.RollingBack }, ct).ConfigureAwait(false);

            var local = await _target.ReadOplogAfterAsync(0, int.MaxValue, ct).ConfigureAwait(false);
            var from = local.Count == 0 ? 0 : local[0].Position.Index - 1;
            var source = await _source.ReadOplogAfterAsync(from, int.MaxValue, ct).ConfigureAwait(false);
            if (!RollbackPlanner.TryAnalyze(local, source, out var analysis))
            {
                _logger.RollbackFailed(_target.Id, "the oplogs share no entry");
                _post(new ReplicationDiverged(_target.Id, _term, SyncAction.Resync, local.Count == 0 ? OpPosition.Zero : local[^1].Position));
                return;
            }

            var last = local.Count == 0 ? OpPosition.Zero : local[^1].Position;
            _logger.RollbackStarted(_target.Id, last.ToString(), analysis.CommonPoint.ToString(), analysis.Divergent.Count);
            var documents = new Dictionary<DocumentKey, BsonDocument>();
            foreach (var key in analysis.TouchedDocuments)
            {
                if (await _source.Data(key.Namespace).FindOneAsync(new BsonDocument("_id", key.Id), null, ct).ConfigureAwait(false) is { } doc)
                {
                    documents[key] = doc;
                }
            }

            var minValid = await _source.ReadLastPositionAsync(ct).ConfigureAwait(false);
            var plan = analysis.ToPlan(documents);
            var saved = _target.MetadataDatabase.GetCollection(MetadataNames.RollbackCollection);
            foreach (var entry in plan.SaveToRollback)
            {
                await _attempt.CheckAsync("save divergent entry", ct).ConfigureAwait(false);
                var doc = RollbackRecord(entry);
                await saved.ReplaceOneAsync(new BsonDocument("_id", doc["_id"]), doc, new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
            }

            foreach (var restore in plan.Restore)
            {
                await _attempt.CheckAsync("restore document", ct).ConfigureAwait(false);
                await _target.Data(restore.Key.Namespace).ReplaceOneAsync(new BsonDocument("_id", restore.Key.Id), restore.Document, new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
            }

            foreach (var key in plan.Delete)
            {
                await _attempt.CheckAsync("delete document", ct).ConfigureAwait(false);
                await _target.Data(key.Namespace).DeleteOneAsync(new BsonDocument("_id", key.Id), null, ct).ConfigureAwait(false);
            }

            record = record with { Applied = plan.TruncateAfter, MinValid = minValid };
            await _attempt.WriteAsync("set applied and minValid", record, ct).ConfigureAwait(false);
            await _attempt.CheckAsync("truncate oplog", ct).ConfigureAwait(false);
            await _target.Oplog.DeleteManyAsync(new BsonDocument("_id", new BsonDocument("$gt", plan.TruncateAfter.Index)), null, ct).ConfigureAwait(false);
            await _attempt.WriteAsync("mark recovering", record with { State = ReplicationState.Recovering, Attempt = null }, ct).ConfigureAwait(false);
            _logger.RollbackCompleted(_target.Id, plan.SaveToRollback.Count, plan.TruncateAfter.ToString());
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.RollingBack, Succeeded: true));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RepairSupersededException e) when (!ct.IsCancellationRequested)
        {
            _logger.RepairSuperseded("Rollback", _target.Id, e.Step, _attempt.Id, e.Found ?? "no attempt");
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.RollingBack, Succeeded: false));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.RollbackFailed(_target.Id, $"{e.GetType().Name}: {e.Message}", e);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.RollingBack, Succeeded: false));
        }
    }

    /// <summary>
    /// The <c>rollback</c> document of a divergent entry: the oplog entry's fields, keyed by its
    /// whole position <c>{t, i}</c> (an index alone can be rolled back more than once, in
    /// different terms, and no saved entry may overwrite another).
    /// </summary>
    internal static BsonDocument RollbackRecord(OplogEntry entry)
    {
        var doc = OplogEntrySerializer.ToBson(entry);
        doc["_id"] = new BsonDocument { { "t", entry.Position.Term }, { "i", entry.Position.Index } };
        return doc;
    }
}
