using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// The host's tailing / catch-up task for one follower: raise the follower's term, re-apply its own
/// oplog tail, then loop fetch (from the source) → append (fenced) → apply → report. Any lost
/// message restarts the loop from the follower's stored state after a pause.
/// </summary>
internal sealed class SimFollower(SimHost host, int nodeId, int sourceId, long term, int termMasterId, SyncTaskKind kind, int generation)
{
    private OpPosition? _reported;
    private OpPosition? _minValid;

    private bool Active => host.TaskGeneration(nodeId) == generation;

    public void Start() => Prepare();

    private void Prepare()
    {
        var now = host.Clock.GetUtcNow();
        host.Call(
            nodeId,
            n =>
            {
                if (!TermRules.MayAccept(n.Term.Term, term))
                {
                    return (Fenced: true, Stored: n.Term.Term, Last: n.Last, State: n.Replication.State, Recovery: RecoveryStatus.StillRecovering, MinValid: n.Replication.MinValid);
                }

                if (term > n.Term.Term)
                {
                    n.CompareAndSetTerm(term, termMasterId, now);
                }

                var recovery = n.Replication.State is ReplicationState.Consistent or ReplicationState.Recovering
                    ? n.ApplyOwn(n.Last)
                    : RecoveryStatus.StillRecovering;
                return (Fenced: false, Stored: n.Term.Term, Last: n.Last, State: n.Replication.State, Recovery: recovery, MinValid: n.Replication.MinValid);
            },
            r =>
            {
                if (!Active)
                {
                    return;
                }

                _minValid = r.MinValid;
                if (r.Fenced)
                {
                    host.Dispatch(new HigherTermObserved(nodeId, r.Stored));
                    host.Dispatch(new SyncTaskEnded(nodeId, term, kind, false));
                }
                else if (r.Recovery == RecoveryStatus.MustResync)
                {
                    host.Dispatch(new ReplicationDiverged(nodeId, term, SyncAction.Resync, r.Last));
                }
                else if (sourceId == nodeId)
                {
                    host.Dispatch(new ReplicationProgressed(nodeId, term, r.Last, r.State == ReplicationState.Consistent));
                }
                else
                {
                    Fetch(r.Last, r.State);
                }
            },
            Retry);
    }

    private void Fetch(OpPosition last, ReplicationState state)
    {
        host.Call(
            sourceId,
            s =>
            {
                var probe = OplogProbe.FromEntries(s.Oplog, last);
                var entries = new List<OplogEntry>();
                if (SyncPlanner.Decide(ReplicationState.Consistent, last, probe) == SyncAction.Continue)
                {
                    for (var i = OplogSearch.FirstAfter(s.Oplog, last.Index); i < s.Oplog.Count && entries.Count < SimHost.FetchBatch; i++)
                    {
                        entries.Add(s.Oplog[i]);
                    }
                }

                return (Probe: probe, Entries: entries);
            },
            r =>
            {
                if (!Active)
                {
                    return;
                }

                var action = SyncPlanner.Decide(state, last, r.Probe);
                if (TermRules.NewerTermIn(term, r.Entries) is { } newer)
                {
                    host.Dispatch(new HigherTermObserved(sourceId, newer));
                    host.Dispatch(new SyncTaskEnded(nodeId, term, kind, false));
                }
                else if (action != SyncAction.Continue)
                {
                    host.Dispatch(new ReplicationDiverged(nodeId, term, action, last));
                }
                else if (r.Entries.Count > 0)
                {
                    Append(last, r.Entries);
                }
                else if (state == ReplicationState.Recovering && _minValid is { } minValid
                         && SyncPlanner.CheckRecovery(minValid, last, null, r.Probe.Last) == RecoveryStatus.MustResync)
                {
                    host.Dispatch(new ReplicationDiverged(nodeId, term, SyncAction.Resync, last)); // minValid is on a history the source will never hold
                }
                else
                {
                    if (_reported != last)
                    {
                        _reported = last;
                        host.Dispatch(new ReplicationProgressed(nodeId, term, last, state == ReplicationState.Consistent));
                    }

                    host.After(SimHost.PollMs, () =>
                    {
                        if (Active)
                        {
                            Fetch(last, state);
                        }
                    });
                }
            },
            Retry);
    }

    private void Append(OpPosition last, List<OplogEntry> entries)
    {
        host.Call(
            nodeId,
            n =>
            {
                if (!TermRules.MayAccept(n.Term.Term, term))
                {
                    return (Ok: false, Stored: n.Term.Term);
                }

                if (n.Last != last || !n.Follows)
                {
                    return (Ok: false, Stored: -1L); // someone else wrote meanwhile: start over
                }

                n.Append(entries, term);
                return (Ok: true, Stored: n.Term.Term);
            },
            r =>
            {
                if (!Active)
                {
                    return;
                }

                if (r.Ok)
                {
                    Apply(entries[^1].Position);
                }
                else if (r.Stored >= 0)
                {
                    host.Dispatch(new HigherTermObserved(nodeId, r.Stored));
                    host.Dispatch(new SyncTaskEnded(nodeId, term, kind, false));
                }
                else
                {
                    Retry();
                }
            },
            Retry);
    }

    private void Apply(OpPosition upTo)
    {
        host.Call(
            nodeId,
            n =>
            {
                if (!TermRules.MayAccept(n.Term.Term, term) || !n.Follows)
                {
                    return (Ok: false, Last: n.Last, State: n.Replication.State, Recovery: RecoveryStatus.StillRecovering);
                }

                var recovery = n.ApplyOwn(upTo);
                return (Ok: true, Last: n.Replication.Applied, State: n.Replication.State, Recovery: recovery);
            },
            r =>
            {
                if (!Active)
                {
                    return;
                }

                if (!r.Ok)
                {
                    Retry();
                }
                else if (r.Recovery == RecoveryStatus.MustResync)
                {
                    host.Dispatch(new ReplicationDiverged(nodeId, term, SyncAction.Resync, r.Last));
                }
                else
                {
                    _reported = r.Last;
                    host.Dispatch(new ReplicationProgressed(nodeId, term, r.Last, r.State == ReplicationState.Consistent));
                    Fetch(r.Last, r.State);
                }
            },
            Retry);
    }

    private void Retry() => host.After(SimHost.RetryMs, () =>
    {
        if (Active)
        {
            Prepare();
        }
    });
}
