using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>
/// Writes. A request is queued while a master serves or an election can proceed (a majority is
/// up); with no majority it fails at once with "no master" (never applied). Group commit: while no
/// batch is in flight, all queued writes (up to MaxBatchSize) go to the master as one batch; the
/// writes arriving meanwhile form the next one. When the batch is in the master's oplog and data,
/// w=1 writes are acknowledged; w=majority writes wait for the commit point:
/// <para>
/// <b>Commit point.</b> Take the master's last durable position and every other node's applied
/// position as reported by its tailing in the master's term (Zero when unknown), sort descending,
/// and take the majority-th one. It becomes the commit point only if it is in the master's own
/// term (an older-term position held by a majority can still be replaced by a more recent log, as
/// in Raft; the new master's noop entry is what lets them commit) and it is later than the current
/// one. Every waiting write at or before the commit point is acknowledged, also when the commit
/// point did not move: a slave may report a batch's entries before the batch's BatchCompleted.
/// </para>
/// <para>
/// <b>wtimeout.</b> A write's deadline is arrival + wtimeout. When it passes, a write never sent
/// fails as not applied; a write sent to a master fails with "write concern timeout, may still be
/// applied". A batch that fails part-way fails its writes the same way and the master is promoted
/// again in the same term to re-learn its exact end; a batch that failed because the master's node
/// stores a newer term (the host re-reads it after appending) fails its writes as deposed and the
/// master steps down at once.
/// </para>
/// </summary>
internal static class WriteRules
{
    public static void OnRequested(DecisionContext ctx, WriteRequested e)
    {
        if (ctx.View.Writes.Any(w => w.RequestId == e.RequestId))
        {
            return;
        }

        if (ctx.View.Phase is NoMasterPhase && ctx.View.UpCount < ctx.Majority)
        {
            ctx.Emit(new FailWrites([e.RequestId], WriteFailureReason.NoMaster, MayHaveBeenApplied: false));
            return;
        }

        var write = new PendingWrite(e.RequestId, e.Concern, ctx.Now + e.Concern.Timeout, WriteStage.Queued);
        ctx.View = ctx.View with { Writes = ctx.View.Writes.Add(write) };
    }

    public static void Flush(DecisionContext ctx, ServingPhase s)
    {
        if (s.Handover is not null || s.BatchInFlight is not null)
        {
            return;
        }

        var queued = ctx.View.Writes.Where(w => w.Stage == WriteStage.Queued).Take(ctx.Options.MaxBatchSize).Select(w => w.RequestId).ToList();
        if (queued.Count == 0)
        {
            return;
        }

        var batchId = ctx.View.NextBatchId;
        var inBatch = queued.ToHashSet();
        ctx.View = ctx.View with
        {
            NextBatchId = batchId + 1,
            Phase = s with { BatchInFlight = batchId },
            Writes = ctx.View.Writes.ConvertAll(w => inBatch.Contains(w.RequestId) ? w with { Stage = WriteStage.InBatch, BatchId = batchId } : w),
        };
        ctx.Emit(new AppendBatch(s.MasterId, s.Term, batchId, queued, s.LastDurable));
    }

    public static void OnBatchCompleted(DecisionContext ctx, BatchCompleted e)
    {
        if (ctx.View.Phase is not ServingPhase s || s.MasterId != e.MasterId || s.Term != e.Term || s.BatchInFlight != e.BatchId)
        {
            return; // stale: its writes were already answered when the master stepped down
        }

        var results = e.Results.ToDictionary(r => r.RequestId, r => r.Position);
        var acked = new List<WriteResult>();
        var missing = new List<long>();
        var writes = ctx.View.Writes.ConvertAll(w =>
        {
            if (w.Stage != WriteStage.InBatch || w.BatchId != e.BatchId)
            {
                return w;
            }

            if (!results.TryGetValue(w.RequestId, out var position))
            {
                missing.Add(w.RequestId);
                return w;
            }

            if (position is null || !w.Concern.Majority)
            {
                acked.Add(new WriteResult(w.RequestId, position));
                return w;
            }

            return w with { Stage = WriteStage.AwaitingMajority, Position = position.Value };
        });
        var done = acked.Select(a => a.RequestId).ToHashSet();
        ctx.View = ctx.View with
        {
            Writes = writes.RemoveAll(w => done.Contains(w.RequestId)),
            Phase = s with { LastDurable = OpPosition.Max(s.LastDurable, e.LastPosition), BatchInFlight = null },
        };
        if (acked.Count > 0)
        {
            ctx.Emit(new AcknowledgeWrites(acked, e.LastPosition, Majority: false));
        }

        Fail(ctx, missing, WriteFailureReason.Interrupted, mayHaveBeenApplied: true);
        AdvanceCommit(ctx);
    }

    public static void OnBatchFailed(DecisionContext ctx, BatchFailed e)
    {
        if (e.StoredTerm is { } stored)
        {
            ctx.ObserveTerm(stored);
        }

        if (ctx.View.Phase is not ServingPhase s || s.MasterId != e.MasterId || s.Term != e.Term || s.BatchInFlight != e.BatchId)
        {
            return;
        }

        var sent = ctx.View.Writes.Where(w => w.Stage == WriteStage.InBatch && w.BatchId == e.BatchId).Select(w => w.RequestId).ToList();
        if (e.StoredTerm > e.Term)
        {
            // Fenced (see README "Fencing"): the master's node stores a newer term, read after the
            // batch's append. Nothing of the batch is acknowledged and the master stops at once.
            Fail(ctx, sent, WriteFailureReason.Deposed, mayHaveBeenApplied: true);
            MasterRules.StepDown(ctx, s, DemotionReason.HigherTerm);
            return;
        }

        Fail(ctx, sent, WriteFailureReason.Interrupted, mayHaveBeenApplied: true);
        ctx.View = ctx.View with { Phase = new PromotingPhase(s.MasterId, s.Term, ctx.Now, ctx.Now + ctx.Options.ElectionTimeout) };
    }

    public static void AdvanceCommit(DecisionContext ctx)
    {
        if (ctx.View.Phase is not ServingPhase s)
        {
            return;
        }

        var positions = ctx.View.Nodes
            .Select(n => n.Id == s.MasterId ? s.LastDurable : n.AppliedIn(s.Term))
            .OrderDescending()
            .ToList();
        var candidate = positions[ctx.Majority - 1];
        if (candidate.Term == s.Term && candidate > ctx.View.CommitPoint)
        {
            ctx.View = ctx.View with { CommitPoint = candidate };
        }

        // Not only when the commit point moves: a slave can report applying a batch's entries
        // before the master's BatchCompleted arrives (it tails the oplog, which is written first),
        // so the commit point may already cover writes that only now start waiting for it.
        var commit = ctx.View.CommitPoint;
        var acked = ctx.View.Writes
            .Where(w => w.Stage == WriteStage.AwaitingMajority && w.Position <= commit)
            .Select(w => new WriteResult(w.RequestId, w.Position))
            .ToList();
        if (acked.Count == 0)
        {
            return;
        }

        var done = acked.Select(a => a.RequestId).ToHashSet();
        ctx.View = ctx.View with { Writes = ctx.View.Writes.RemoveAll(w => done.Contains(w.RequestId)) };
        ctx.Emit(new AcknowledgeWrites(acked, commit, Majority: true));
    }

    /// <summary>Times writes out and refuses queued ones when no master can be elected.</summary>
    public static void Reconcile(DecisionContext ctx)
    {
        var noMajority = ctx.View.Phase is NoMasterPhase && ctx.View.UpCount < ctx.Majority;
        var neverSent = new List<long>();
        var timedOutSent = new List<long>();
        foreach (var w in ctx.View.Writes)
        {
            if (w.Stage == WriteStage.Queued && (noMajority || w.Deadline <= ctx.Now))
            {
                neverSent.Add(w.RequestId);
            }
            else if (w.Stage != WriteStage.Queued && w.Deadline <= ctx.Now)
            {
                timedOutSent.Add(w.RequestId);
            }
        }

        var reason = ctx.View.Phase is ServingPhase ? WriteFailureReason.WriteConcernTimeout : WriteFailureReason.NoMaster;
        Fail(ctx, neverSent, reason, mayHaveBeenApplied: false);
        Fail(ctx, timedOutSent, WriteFailureReason.WriteConcernTimeout, mayHaveBeenApplied: true);
    }

    public static void Fail(DecisionContext ctx, List<long> requestIds, WriteFailureReason reason, bool mayHaveBeenApplied)
    {
        if (requestIds.Count == 0)
        {
            return;
        }

        var ids = requestIds.ToHashSet();
        ctx.View = ctx.View with { Writes = ctx.View.Writes.RemoveAll(w => ids.Contains(w.RequestId)) };
        ctx.Emit(new FailWrites(requestIds, reason, mayHaveBeenApplied));
    }
}
