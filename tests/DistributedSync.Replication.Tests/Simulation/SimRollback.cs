using DistributedSync.Bson;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// The host's rollback task: mark the node, read both oplogs, plan with <see cref="RollbackPlanner"/>,
/// fetch the touched documents and the source's end (minValid) from the source, save and restore,
/// then truncate and leave the node recovering. Every step on the node is fenced with the term.
/// </summary>
internal sealed class SimRollback(SimHost host, int nodeId, int sourceId, long term, OpPosition expectedLast, int generation)
{
    private static long s_attempts;
    private readonly string _attempt = "rollback-" + Interlocked.Increment(ref s_attempts);

    private bool Active => host.TaskGeneration(nodeId) == generation;

    public void Start() => host.Call(
        nodeId,
        n =>
        {
            if (!TermRules.MayAccept(n.Term.Term, term) || n.Last != expectedLast)
            {
                return null;
            }

            if (n.Replication.State is ReplicationState.Resyncing)
            {
                return null; // an unfinished resync wins
            }

            n.Replication = n.Replication with { State = ReplicationState.RollingBack, Attempt = _attempt };
            return n.Oplog.ToList();
        },
        local =>
        {
            if (Active && local is not null)
            {
                ReadSource(local);
            }
            else if (Active)
            {
                End(false);
            }
        },
        () => End(false));

    private void ReadSource(List<OplogEntry> local) => host.Call(
        sourceId,
        s =>
        {
            var from = local.Count == 0 ? 0 : OplogSearch.FirstAfter(s.Oplog, local[0].Position.Index - 1);
            return s.Oplog.Skip(from).ToList();
        },
        remote =>
        {
            if (!Active)
            {
                return;
            }

            if (!RollbackPlanner.TryAnalyze(local, remote, out var analysis))
            {
                host.Dispatch(new ReplicationDiverged(nodeId, term, SyncAction.Resync, local.Count == 0 ? OpPosition.Zero : local[^1].Position));
                return;
            }

            FetchDocuments(local, analysis);
        },
        () => End(false));

    private void FetchDocuments(List<OplogEntry> local, RollbackAnalysis analysis) => host.Call(
        sourceId,
        s =>
        {
            var docs = new Dictionary<DocumentKey, BsonDocument>();
            foreach (var key in analysis.TouchedDocuments)
            {
                if (s.Data.TryGetValue(key, out var doc))
                {
                    docs[key] = doc;
                }
            }

            return (Docs: docs, MinValid: s.Last);
        },
        r =>
        {
            if (Active)
            {
                Restore(local, analysis.ToPlan(r.Docs), r.MinValid);
            }
        },
        () => End(false));

    private void Restore(List<OplogEntry> local, RollbackPlan plan, OpPosition minValid) => host.Call(
        nodeId,
        n =>
        {
            var localLast = local.Count == 0 ? OpPosition.Zero : local[^1].Position;
            if (!TermRules.MayAccept(n.Term.Term, term) || n.Last != localLast || !n.OwnedBy(_attempt))
            {
                return false;
            }

            foreach (var entry in plan.SaveToRollback)
            {
                if (!n.RollbackSaved.Contains(entry))
                {
                    n.RollbackSaved.Add(entry);
                }
            }

            foreach (var restore in plan.Restore)
            {
                OplogApplier.Apply(n.Data, restore);
            }

            foreach (var key in plan.Delete)
            {
                OplogApplier.Apply(n.Data, new DeleteDocument(key));
            }

            n.Replication = new ReplicationRecord(plan.AppliedAfter(n.Replication.Applied), ReplicationState.RollingBack, minValid, Attempt: _attempt);
            return true;
        },
        ok =>
        {
            if (!Active)
            {
                return;
            }

            if (ok)
            {
                Truncate(plan.TruncateAfter);
            }
            else
            {
                End(false);
            }
        },
        () => End(false));

    private void Truncate(OpPosition commonPoint) => host.Call(
        nodeId,
        n =>
        {
            if (!TermRules.MayAccept(n.Term.Term, term) || !n.OwnedBy(_attempt))
            {
                return false;
            }

            n.TruncateAfter(commonPoint);
            n.Replication = n.Replication with { State = ReplicationState.Recovering, Attempt = null };
            n.CheckRecovery();
            return true;
        },
        ok =>
        {
            if (Active)
            {
                End(ok);
            }
        },
        () => End(false));

    private void End(bool succeeded)
    {
        if (Active)
        {
            host.Dispatch(new SyncTaskEnded(nodeId, term, SyncTaskKind.RollingBack, succeeded));
        }
    }
}
