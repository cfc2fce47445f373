using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Logging;
using DistributedSync.Replication.Cluster;
using DistributedSync.Mongo;
using DistributedSync.Replication.Oplog;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Sync;

/// <summary>The execution of the decider's commands; every I/O command posts its outcome back as an event.</summary>
public sealed partial class SyncEngine
{
    private readonly Dictionary<int, (CancellationTokenSource Cancel, Task Task)> _followers = [];
    private CancellationTokenSource _masterFence = new();
    private CancellationToken _stopping;

    private int BatchSize => Math.Max(1, _options.Replication.BatchSize);

    private TimeSpan HeartbeatTimeout => TimeSpan.FromMilliseconds(Math.Max(500, _options.Election.HeartbeatIntervalMs * 2));

    private void Execute(ClusterCommand command)
    {
        switch (command)
        {
            case SendHeartbeat c:
                _ = Background(() => HeartbeatAsync(c));
                break;
            case WriteTerm c:
                _ = Background(() => WriteTermAsync(c));
                break;
            case PromoteNode c:
                _ = Background(() => PromoteAsync(c));
                break;
            case DemoteNode c:
                _masterFence.Cancel();
                _masterFence.Dispose();
                _masterFence = new CancellationTokenSource();
                _logger.MasterSteppedDown(c.Term, c.NodeId, c.Reason.ToString());
                break;
            case AppendBatch c:
                RunBatch(c);
                break;
            case StartTailing c:
                StartFollower(c.NodeId, c.MasterId, c.Term, c.MasterId, SyncTaskKind.Tailing);
                break;
            case CatchUpNode c:
                StartFollower(c.NodeId, c.SourceId, c.Term, c.TermMasterId, SyncTaskKind.CatchingUp);
                break;
            case StopTailing c:
                StopFollower(c.NodeId);
                break;
            case StartRollback c:
                StartTask(c.NodeId, new RollbackTask(_nodes[c.NodeId], _nodes[c.SourceId], c.Term, c.ExpectedLast, Post, _logger, RepairHookFor(c.NodeId)).RunAsync);
                break;
            case StartResync c:
                var resync = new ResyncTask(_nodes[c.NodeId], _nodes[c.SourceId], c.Term, c.ExpectedLast, BatchSize, Post, _logger, RepairHookFor(c.NodeId))
                {
                    Progress = _resyncProgress,
                    Time = _time,
                };
                StartTask(c.NodeId, resync.RunAsync);
                break;
            case AcknowledgeWrites c:
                foreach (var write in c.Writes)
                {
                    if (_requests.TryGetValue(write.RequestId, out var request))
                    {
                        var at = write.Position ?? c.UpTo;
                        request.Succeed(new OplogPosition(at.Term, at.Index));
                    }
                }

                break;
            case FailWrites c:
                foreach (var id in c.RequestIds)
                {
                    if (_requests.TryGetValue(id, out var request))
                    {
                        request.Fail(ToException(c.Reason, c.MayHaveBeenApplied));
                    }
                }

                break;
        }
    }

    private Func<string, CancellationToken, Task>? RepairHookFor(int nodeId)
        => RepairStepHook is { } hook ? (step, ct) => hook(nodeId, step, ct) : null;

    private static SyncEngineException ToException(WriteFailureReason reason, bool mayHaveBeenApplied) => reason switch
    {
        WriteFailureReason.NoMaster => new SyncEngineException(SyncErrorKind.NoMaster, "No master is elected; the write was not applied.", TimeSpan.FromSeconds(1)),
        WriteFailureReason.WriteConcernTimeout when mayHaveBeenApplied => new SyncEngineException(SyncErrorKind.WriteConcernFailed, "The write concern was not satisfied in time; the write is on the master and may still be applied.", TimeSpan.FromSeconds(1)),
        WriteFailureReason.WriteConcernTimeout => new SyncEngineException(SyncErrorKind.NoMaster, "No master took the write before wtimeout; it was not applied.", TimeSpan.FromSeconds(1)),
        WriteFailureReason.Deposed => new SyncEngineException(SyncErrorKind.WriteConcernFailed, "deposed: term changed. The master's node stores a newer term than the one the master wrote in, so the write was not acknowledged; it may or may not survive.", TimeSpan.FromSeconds(1)),
        _ => new SyncEngineException(SyncErrorKind.WriteConcernFailed, "The master stepped down during the write; it may still be applied.", TimeSpan.FromSeconds(1)),
    };

    private async Task Background(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task HeartbeatAsync(SendHeartbeat c)
    {
        var node = _nodes[c.NodeId];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(HeartbeatTimeout);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var status = await node.ReadStatusAsync(timeout.Token).ConfigureAwait(false);
                Post(new HeartbeatSucceeded(c.NodeId, c.Sequence, status));
                return;
            }
            catch (Exception e) when (IsNodeFailure(e) && !_stopping.IsCancellationRequested)
            {
                var refused = IsConnectionRefused(e);
                // A pooled connection to a restarted or killed node fails on first use: try once
                // more at once on a fresh connection, which tells "gone" (refused) from "slow".
                if (attempt == 1 && !refused && !timeout.IsCancellationRequested && e is MongoConnectionException)
                {
                    continue;
                }

                _logger.HeartbeatFailed(c.NodeId, node.Name, e.Message);
                Post(new HeartbeatFailed(c.NodeId, c.Sequence, refused));
                return;
            }
        }
    }

    /// <summary>True when the failure, or a cause of it, is a refused TCP connection (nothing listens).</summary>
    internal static bool IsConnectionRefused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    private async Task WriteTermAsync(WriteTerm c)
    {
        var node = _nodes[c.NodeId];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(HeartbeatTimeout);
        try
        {
            var (stored, ok) = await node.CompareAndSetTermAsync(c.Term, c.MasterId, _time.GetUtcNow(), timeout.Token).ConfigureAwait(false);
            var status = await node.ReadStatusAsync(timeout.Token).ConfigureAwait(false);
            Post(new TermWriteCompleted(c.NodeId, c.Term, c.MasterId, ok, stored.Term, status.LastPosition, status.State));
        }
        catch (Exception e) when (IsNodeFailure(e) && !_stopping.IsCancellationRequested)
        {
            Post(new TermWriteCompleted(c.NodeId, c.Term, c.MasterId, false, null, null));
        }
    }

    private async Task PromoteAsync(PromoteNode c)
    {
        var node = _nodes[c.NodeId];
        try
        {
            var stored = await node.ReadTermAsync(_stopping).ConfigureAwait(false);
            if (stored.Term != c.Term)
            {
                Post(new PromotionFailed(c.NodeId, c.Term, stored.Term));
                return;
            }

            await node.EnsureOplogAsync(_stopping).ConfigureAwait(false);
            var recovered = await node.RecoverAsync(BatchSize, _stopping).ConfigureAwait(false);
            var noop = OplogEntry.Noop(new OpPosition(c.Term, recovered.Index + 1), _time.GetUtcNow());
            await node.AppendAsync([noop], _stopping).ConfigureAwait(false);
            var record = await node.ReadReplicationAsync(_stopping).ConfigureAwait(false);
            await node.WriteReplicationAsync(record with { Applied = noop.Position }, _stopping).ConfigureAwait(false);
            Post(new PromotionCompleted(c.NodeId, c.Term, recovered, noop.Position));
        }
        catch (Exception e) when (IsNodeFailure(e) && !_stopping.IsCancellationRequested)
        {
            _logger.ReplicationFailed(c.NodeId, "promotion failed: " + e.Message, e);
            Post(new PromotionFailed(c.NodeId, c.Term, null));
        }
    }

    private void RunBatch(AppendBatch c)
    {
        var requests = c.RequestIds.Select(id => _requests.TryGetValue(id, out var r) ? r : null).ToList();
        var fence = _masterFence.Token;
        _ = Background(async () =>
        {
            ClusterEvent outcome;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                var hook = BatchAppendedHook is { } h ? (Func<CancellationToken, Task>)(ct => h(c.MasterId, ct)) : null;
                outcome = await new WriteBatchRunner(_nodes[c.MasterId], _time, hook).RunAsync(c, requests, fence).ConfigureAwait(false);
                if (outcome is BatchCompleted done)
                {
                    _logger.ReplicationBatchApplied(c.MasterId, c.RequestIds.Count, done.LastPosition.ToString(), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    _logger.ReplicationFailed(c.MasterId, $"group commit refused: {outcome}");
                }
            }
            catch (Exception e) when (IsNodeFailure(e) && !_stopping.IsCancellationRequested)
            {
                _logger.ReplicationFailed(c.MasterId, $"group commit failed: {e.GetType().Name}: {e.Message}", e);
                outcome = new BatchFailed(c.MasterId, c.Term, c.BatchId, null);
            }

            Post(outcome);
        });
    }

    private void StartFollower(int nodeId, int sourceId, long term, int termMasterId, SyncTaskKind kind)
    {
        var task = new FollowerTask(_nodes[nodeId], _nodes[sourceId], term, termMasterId, kind, BatchSize, Post, _logger, _time);
        StartTask(nodeId, task.RunAsync);
    }

    /// <summary>Runs the node's one replication task (replacing any running one) until it ends or is stopped.</summary>
    private void StartTask(int nodeId, Func<CancellationToken, Task> run)
    {
        StopFollower(nodeId);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        _followers[nodeId] = (cancel, Task.Run(() => run(cancel.Token), CancellationToken.None));
    }

    private void StopFollower(int nodeId)
    {
        if (_followers.Remove(nodeId, out var follower))
        {
            follower.Cancel.Cancel();
            _ = follower.Task.ContinueWith(_ => follower.Cancel.Dispose(), TaskScheduler.Default);
        }
    }

    private void StopAllTasks()
    {
        foreach (var id in _followers.Keys.ToList())
        {
            StopFollower(id);
        }

        _masterFence.Cancel();
    }

    /// <summary>
    /// Any failure of a node operation is reported to the decider as that operation's failure (a
    /// lost answer would leave a request or an election waiting forever); only the engine's own
    /// shutdown is not.
    /// </summary>
    private static bool IsNodeFailure(Exception e) => e is not OutOfMemoryException;

    private void LogTransitions(ClusterView before, ClusterView after)
    {
        for (var i = 0; i < after.Nodes.Length; i++)
        {
            var (was, now) = (before.Nodes[i], after.Nodes[i]);
            if (was.Health != now.Health && _status.TryGetNode(now.Id, out var info))
            {
                if (now.Health == NodeHealth.Up)
                {
                    _logger.NodeUp(now.Id, info.Name, info.Uri);
                }
                else if (now.Health == NodeHealth.Down)
                {
                    _logger.NodeDown(now.Id, info.Name, info.Uri, "no heartbeat answer within the failure timeout");
                }
            }
        }

        if (after.Phase is ElectingPhase e && (before.Phase is not ElectingPhase b || b.Term != e.Term))
        {
            _logger.ElectionStarted(e.Term, e.CandidateId, e.Takeover ? "takeover by a higher Id" : "highest eligible Id with a majority up");
        }
        else if (before.Phase is ElectingPhase lost && after.Phase is NoMasterPhase or CatchingUpPhase)
        {
            _logger.ElectionLost(lost.Term, lost.CandidateId, null, "the term was not stored on a majority in time");
        }

        if (after.Phase is ServingPhase s && (before.MasterId != s.MasterId || before.MasterTerm != s.Term))
        {
            _logger.ElectionWon(s.Term, s.MasterId, "term stored on a majority and promotion completed");
            _logger.MasterChanged(s.Term, before.MasterId, s.MasterId);
        }
    }
}
