using System.Diagnostics;
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
/// One replication task (<see cref="StartTailing"/> or <see cref="CatchUpNode"/>): raises the
/// follower's term where lower, re-applies its own oplog tail, checks that its history continues
/// on the source (<see cref="SyncPlanner"/>), then follows the source's oplog with a tailable
/// awaitData cursor. Each batch (at most BatchSize entries) is appended to the follower's oplog,
/// applied idempotently and recorded as applied, and reported to the driver loop. It only ever
/// appends: a follower that would have to roll back or resync is reported as diverged. Fencing:
/// nothing is appended while the follower stores a term newer than the task's (the writer's), and
/// a batch is reported only when the term read again after its append is still the task's.
/// </summary>
internal sealed class FollowerTask
{
    private static readonly TimeSpan MaxAwait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly NodeStore _target;
    private readonly NodeStore _source;
    private readonly long _term;
    private readonly int _termMasterId;
    private readonly SyncTaskKind _kind;
    private readonly int _batchSize;
    private readonly Action<ClusterEvent> _post;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public FollowerTask(NodeStore target, NodeStore source, long term, int termMasterId, SyncTaskKind kind, int batchSize, Action<ClusterEvent> post, ILogger logger, TimeProvider time)
    {
        _target = target;
        _source = source;
        _term = term;
        _termMasterId = termMasterId;
        _kind = kind;
        _batchSize = batchSize;
        _post = post;
        _logger = logger;
        _time = time;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await _target.EnsureOplogAsync(ct).ConfigureAwait(false);
            var (stored, _) = await _target.CompareAndSetTermAsync(_term, _termMasterId, _time.GetUtcNow(), ct).ConfigureAwait(false);
            if (stored.Term > _term)
            {
                _post(new HigherTermObserved(_target.Id, stored.Term));
                return;
            }

            if (_target.Id == _source.Id)
            {
                var record = await _target.ReadReplicationAsync(ct).ConfigureAwait(false);
                var last = await _target.ReadLastPositionAsync(ct).ConfigureAwait(false);
                _post(new ReplicationProgressed(_target.Id, _term, last, record.State == ReplicationState.Consistent));
                return;
            }

            await _target.RecoverAsync(_batchSize, ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                if (!await FollowOnceAsync(ct).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(RetryDelay, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.ReplicationFailed(_target.Id, $"{e.GetType().Name}: {e.Message}", e);
            await Task.Delay(TimeSpan.FromSeconds(1), _time, CancellationToken.None).ConfigureAwait(false);
            if (!ct.IsCancellationRequested)
            {
                _post(new SyncTaskEnded(_target.Id, _term, _kind, Succeeded: false));
            }
        }
    }

    /// <summary>Checks continuity, then tails until the cursor dies; false when the task must stop.</summary>
    private async Task<bool> FollowOnceAsync(CancellationToken ct)
    {
        var record = await _target.ReadReplicationAsync(ct).ConfigureAwait(false);
        var last = await _target.ReadLastPositionAsync(ct).ConfigureAwait(false);
        var oldest = await _source.ReadOldestPositionAsync(ct).ConfigureAwait(false);
        var sourceLast = await _source.ReadLastPositionAsync(ct).ConfigureAwait(false);
        var termAt = last.IsZero ? null : await _source.TermAtAsync(last.Index, ct).ConfigureAwait(false);
        var action = SyncPlanner.Decide(record.State, last, new OplogProbe(oldest, oldest is null ? null : sourceLast, termAt));
        if (action != SyncAction.Continue)
        {
            _post(new ReplicationDiverged(_target.Id, _term, action, last));
            return false;
        }

        var consistent = record.State == ReplicationState.Consistent;
        if (!consistent)
        {
            (record, var recovery) = await CheckRecoveryAsync(record, last, sourceLast, ct).ConfigureAwait(false);
            if (recovery == RecoveryStatus.MustResync)
            {
                _post(new ReplicationDiverged(_target.Id, _term, SyncAction.Resync, last));
                return false;
            }

            consistent = recovery == RecoveryStatus.Consistent;
        }

        _post(new ReplicationProgressed(_target.Id, _term, last, consistent));
        var options = new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = MaxAwait, BatchSize = _batchSize };
        await using var cursor = await _source.Oplog.FindAsync(new BsonDocument("_id", new BsonDocument("$gt", last.Index)), options, ct).ConfigureAwait(false);
        while (await cursor.MoveNextBatchAsync(ct).ConfigureAwait(false))
        {
            if (cursor.CurrentBatch.Count == 0)
            {
                continue;
            }

            var entries = cursor.CurrentBatch.Select(OplogEntrySerializer.FromBson).ToList();
            if (TermRules.NewerTermIn(_term, entries) is { } newer)
            {
                _post(new HigherTermObserved(_source.Id, newer));
                return false;
            }

            if (entries[0].Position.Index != last.Index + 1)
            {
                return true; // a gap (the capped oplog moved on): check continuity again
            }

            var storedTerm = (await _target.ReadTermAsync(ct).ConfigureAwait(false)).Term;
            if (!TermRules.MayAccept(storedTerm, _term))
            {
                _post(new HigherTermObserved(_target.Id, storedTerm));
                return false;
            }

            var started = Stopwatch.GetTimestamp();
            await _target.AppendAsync(entries, ct).ConfigureAwait(false);
            await _target.ApplyAsync(entries, ct).ConfigureAwait(false);
            last = entries[^1].Position;
            record = record with { Applied = last };
            await _target.WriteReplicationAsync(record, ct).ConfigureAwait(false);

            // Fencing, as on the master: the term read again after the append. Progress is reported
            // (and counts for the commit point) only while the node still stores this task's term;
            // once an election stored a newer one here, its vote already reported what it held.
            storedTerm = (await _target.ReadTermAsync(ct).ConfigureAwait(false)).Term;
            if (storedTerm != _term)
            {
                _post(new HigherTermObserved(_target.Id, storedTerm));
                return false;
            }
            if (!consistent)
            {
                (record, var recovery) = await CheckRecoveryAsync(record, last, null, ct).ConfigureAwait(false);
                if (recovery == RecoveryStatus.MustResync)
                {
                    _post(new ReplicationDiverged(_target.Id, _term, SyncAction.Resync, last));
                    return false;
                }

                consistent = recovery == RecoveryStatus.Consistent;
            }

            _logger.ReplicationBatchApplied(_target.Id, entries.Count, last.ToString(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _post(new ReplicationProgressed(_target.Id, _term, last, consistent));
        }

        return true;
    }

    /// <summary>A recovering node (after a rollback) becomes consistent once its history holds minValid.</summary>
    private async Task<(ReplicationRecord Record, RecoveryStatus Status)> CheckRecoveryAsync(ReplicationRecord record, OpPosition applied, OpPosition? sourceLast, CancellationToken ct)
    {
        if (record.State != ReplicationState.Recovering)
        {
            return (record, RecoveryStatus.StillRecovering);
        }

        var minValid = record.MinValid ?? OpPosition.Zero;
        var termAt = minValid.IsZero ? null : await _target.TermAtAsync(minValid.Index, ct).ConfigureAwait(false);
        var status = SyncPlanner.CheckRecovery(minValid, applied, termAt, sourceLast);
        if (status == RecoveryStatus.Consistent)
        {
            record = record with { State = ReplicationState.Consistent, MinValid = null };
            await _target.WriteReplicationAsync(record, ct).ConfigureAwait(false);
        }

        return (record, status);
    }
}
