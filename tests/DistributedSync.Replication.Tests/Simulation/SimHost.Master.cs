using DistributedSync.Bson;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>The master's write path: promotion (recovery + noop) and group-commit batches, oplog first, data second.</summary>
internal sealed partial class SimHost
{
    private void Promote(int nodeId, long term)
    {
        Call(
            nodeId,
            n =>
            {
                if (n.Term.Term != term || n.Replication.State != ReplicationState.Consistent)
                {
                    return (Ok: false, Stored: n.Term.Term, Last: OpPosition.Zero);
                }

                n.ApplyOwn(n.Last); // crash recovery: the oplog is the truth, re-apply its tail
                return (Ok: true, Stored: n.Term.Term, Last: n.Last);
            },
            recovered =>
            {
                if (!recovered.Ok)
                {
                    Dispatch(new PromotionFailed(nodeId, term, recovered.Stored));
                    return;
                }

                WriteNoop(nodeId, term, recovered.Last);
            },
            () => Dispatch(new PromotionFailed(nodeId, term, null)));
    }

    private void WriteNoop(int nodeId, long term, OpPosition recovered)
    {
        var now = Clock.GetUtcNow();
        Call(
            nodeId,
            n =>
            {
                if (!TermRules.MayAccept(n.Term.Term, term) || n.Last != recovered)
                {
                    return (Ok: false, Stored: n.Term.Term, Last: n.Last);
                }

                var noop = OplogEntry.Noop(new OpPosition(term, recovered.Index + 1), now);
                World.Ghost.RecordMasterWrite(term, nodeId);
                n.Append([noop], term);
                n.ApplyOwn(noop.Position);
                return (Ok: true, Stored: n.Term.Term, Last: noop.Position);
            },
            r =>
            {
                if (r.Ok)
                {
                    Stats.Promotions++;
                    Dispatch(new PromotionCompleted(nodeId, term, recovered, r.Last));
                }
                else
                {
                    Dispatch(new PromotionFailed(nodeId, term, r.Stored));
                }
            },
            () => Dispatch(new PromotionFailed(nodeId, term, null)));
    }

    private void AppendBatch(AppendBatch c)
    {
        var generation = _writeGeneration.GetValueOrDefault(c.MasterId);
        var now = Clock.GetUtcNow();
        Call(
            c.MasterId,
            n => WriteOplog(n, c, now),
            a =>
            {
                if (generation != _writeGeneration.GetValueOrDefault(c.MasterId))
                {
                    return; // demoted meanwhile: the decider has answered these writes already
                }

                if (a.Results is null)
                {
                    Dispatch(new BatchFailed(c.MasterId, c.Term, c.BatchId, a.Stored));
                    return;
                }

                Call(
                    c.MasterId,
                    n =>
                    {
                        if (!TermRules.MayAccept(n.Term.Term, c.Term))
                        {
                            return false;
                        }

                        n.ApplyOwn(a.Last);
                        return true;
                    },
                    ok =>
                    {
                        if (ok)
                        {
                            Dispatch(new BatchCompleted(c.MasterId, c.Term, c.BatchId, a.Results, a.Last));
                        }
                        else
                        {
                            Dispatch(new BatchFailed(c.MasterId, c.Term, c.BatchId, null));
                        }
                    },
                    () => Dispatch(new BatchFailed(c.MasterId, c.Term, c.BatchId, null)));
            },
            () => Dispatch(new BatchFailed(c.MasterId, c.Term, c.BatchId, null)));
    }

    /// <summary>Step one of a batch, atomically on the master: fence, compute post-images in order, append to the oplog.</summary>
    private (List<WriteResult>? Results, long Stored, OpPosition Last) WriteOplog(SimNode n, AppendBatch c, DateTimeOffset now)
    {
        if (!TermRules.MayAccept(n.Term.Term, c.Term) || n.Replication.Applied != n.Last || n.Last != c.ExpectedLast)
        {
            return (null, n.Term.Term, n.Last);
        }

        var overlay = new Dictionary<DocumentKey, BsonDocument?>();
        var entries = new List<OplogEntry>();
        var results = new List<WriteResult>();
        foreach (var requestId in c.RequestIds)
        {
            var spec = World.Client.Specs[requestId];
            var key = SimClient.KeyOf(spec.Key);
            var current = overlay.TryGetValue(key, out var pending) ? pending : n.Data.GetValueOrDefault(key);
            var position = new OpPosition(c.Term, n.Last.Index + entries.Count + 1);
            var entry = SimClient.ToEntry(spec, current, position, now);
            if (entry is null)
            {
                results.Add(new WriteResult(requestId, null));
                continue;
            }

            entries.Add(entry);
            overlay[key] = entry.Document;
            results.Add(new WriteResult(requestId, position));
            World.Ghost.EntrySource[position] = (requestId, spec.Value);
        }

        if (entries.Count > 0)
        {
            World.Ghost.RecordMasterWrite(c.Term, n.Id);
            n.Append(entries, c.Term);
        }

        return (results, n.Term.Term, n.Last);
    }
}
