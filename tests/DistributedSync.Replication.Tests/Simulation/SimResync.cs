using DistributedSync.Bson;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// The host's full resync task: clear the node, record the source's applied entry P, copy every
/// document in batches (the source keeps changing meanwhile), record the source's end M, then set
/// the node's oplog to P and leave it recovering until it reaches M on the same history.
/// </summary>
internal sealed class SimResync(SimHost host, int nodeId, int sourceId, long term, OpPosition expectedLast, int generation)
{
    private const int CopyBatch = 7;
    private readonly string _attempt = "resync-" + Interlocked.Increment(ref s_attempts);
    private static long s_attempts;

    private bool Active => host.TaskGeneration(nodeId) == generation;

    public void Start() => Clear(expectedLast);

    private void Clear(OpPosition expectedLast) => host.Call(
        nodeId,
        n =>
        {
            if (!TermRules.MayAccept(n.Term.Term, term) || n.Last != expectedLast)
            {
                return false;
            }

            n.ClearForResync(_attempt);
            return true;
        },
        ok =>
        {
            if (Active && ok)
            {
                ReadBase();
            }
            else
            {
                End(false);
            }
        },
        () => End(false));

    private void ReadBase() => host.Call(
        sourceId,
        s =>
        {
            // The base is the source's applied position, not its oplog end: its data reflects
            // exactly the applied position (a batch may be in the oplog and not yet applied).
            var at = OplogSearch.FindIndex(s.Oplog, s.Replication.Applied.Index);
            OplogEntry? baseEntry = at < 0 ? null : s.Oplog[at];
            var history = s.FullLog.Where(e => baseEntry is not null && e.Position.Index <= baseEntry.Position.Index).ToList();
            return (Base: baseEntry, History: history);
        },
        r =>
        {
            if (Active)
            {
                CopyFrom(null, r.Base, r.History);
            }
        },
        () => End(false));

    private void CopyFrom(DocumentKey? after, OplogEntry? baseEntry, List<OplogEntry> history) => host.Call(
        sourceId,
        s => s.Data.Where(kv => after is null || Compare(kv.Key, after.Value) > 0)
            .OrderBy(kv => kv.Key, Comparer<DocumentKey>.Create(Compare))
            .Take(CopyBatch)
            .Select(kv => (kv.Key, kv.Value))
            .ToList(),
        docs =>
        {
            if (Active)
            {
                WriteCopies(docs, baseEntry, history);
            }
        },
        () => End(false));

    private void WriteCopies(List<(DocumentKey Key, BsonDocument Doc)> docs, OplogEntry? baseEntry, List<OplogEntry> history) => host.Call(
        nodeId,
        n =>
        {
            if (!TermRules.MayAccept(n.Term.Term, term) || !n.OwnedBy(_attempt))
            {
                return false;
            }

            foreach (var (key, doc) in docs)
            {
                OplogApplier.Apply(n.Data, new UpsertDocument(key, doc));
            }

            return true;
        },
        ok =>
        {
            if (!Active || !ok)
            {
                End(false);
            }
            else if (docs.Count == CopyBatch)
            {
                CopyFrom(docs[^1].Key, baseEntry, history);
            }
            else
            {
                ReadMinValid(baseEntry, history);
            }
        },
        () => End(false));

    private void ReadMinValid(OplogEntry? baseEntry, List<OplogEntry> history) => host.Call(
        sourceId,
        s => s.Last,
        minValid =>
        {
            if (Active)
            {
                Finish(baseEntry, history, minValid);
            }
        },
        () => End(false));

    private void Finish(OplogEntry? baseEntry, List<OplogEntry> history, OpPosition minValid) => host.Call(
        nodeId,
        n =>
        {
            if (!TermRules.MayAccept(n.Term.Term, term) || !n.OwnedBy(_attempt))
            {
                return false;
            }

            n.FinishResync(baseEntry, history, minValid);
            return true;
        },
        ok => End(ok),
        () => End(false));

    private static int Compare(DocumentKey x, DocumentKey y)
    {
        var byNs = string.CompareOrdinal(x.Namespace, y.Namespace);
        return byNs != 0 ? byNs : BsonValueComparer.Instance.Compare(x.Id, y.Id);
    }

    private void End(bool succeeded)
    {
        if (Active)
        {
            host.Dispatch(new SyncTaskEnded(nodeId, term, SyncTaskKind.Resyncing, succeeded));
        }
    }
}
