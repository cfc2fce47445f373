using DistributedSync.Bson;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// One simulated standalone MongoDB node: what it stores (term document, capped oplog, data,
/// replication document, rollback collection) and the single-node operations the host performs
/// on it. Each operation runs atomically when its request is delivered. The node itself enforces
/// nothing: rules are applied by the host code calling it, and the node only reports to the
/// <see cref="Ghost"/> when a rule was broken. <see cref="FullLog"/> is a ghost copy of the oplog
/// that is never capped, used by the invariant checks only.
/// </summary>
internal sealed class SimNode(int id, int capacity, Ghost ghost)
{
    public int Id { get; } = id;

    public bool Running { get; set; } = true;

    public TermRecord Term { get; private set; } = TermRecord.None;

    public List<OplogEntry> Oplog { get; } = [];

    public List<OplogEntry> FullLog { get; private set; } = [];

    public Dictionary<DocumentKey, BsonDocument> Data { get; } = [];

    public ReplicationRecord Replication { get; set; } = ReplicationRecord.Initial;

    public List<OplogEntry> RollbackSaved { get; } = [];

    public OpPosition Last => Oplog.Count == 0 ? OpPosition.Zero : Oplog[^1].Position;

    public NodeStatus ReadStatus()
        => new(Term.Term, Term.Term == 0 ? null : Term.MasterId, Replication.ReportedLast(Last), Replication.Applied, Replication.State);

    public (bool Succeeded, long Stored, OpPosition Last, ReplicationState State) CompareAndSetTerm(long term, int masterId, DateTimeOffset now)
    {
        var (stored, ok) = TermRules.CompareAndSet(Term, term, masterId, now);
        SetTerm(stored);
        return (ok, stored.Term, Replication.ReportedLast(Last), Replication.State);
    }

    /// <summary>Appends entries written or shipped by a writer acting in <paramref name="writerTerm"/>.</summary>
    public void Append(IReadOnlyList<OplogEntry> entries, long writerTerm)
    {
        if (writerTerm < Term.Term)
        {
            ghost.Violate("no node accepts an entry from a term older than its stored term", $"node {Id} stores term {Term.Term} and accepted entries from a writer in term {writerTerm}");
        }

        foreach (var entry in entries)
        {
            if (entry.Position.Term > writerTerm)
            {
                ghost.Violate("no node accepts an entry from a term older than its stored term", $"node {Id}: entry {entry.Position} shipped by a writer in older term {writerTerm}");
            }

            if (!Last.IsZero && entry.Position.Index != Last.Index + 1)
            {
                ghost.Violate("oplog indexes are contiguous", $"node {Id} appended {entry.Position} after {Last}");
            }

            Oplog.Add(entry);
            FullLog.Add(entry);
        }

        if (Oplog.Count > capacity)
        {
            Oplog.RemoveRange(0, Oplog.Count - capacity);
        }
    }

    /// <summary>Applies the node's own oplog after its applied position up to <paramref name="upTo"/>'s index, then checks recovery.</summary>
    public RecoveryStatus ApplyOwn(OpPosition upTo)
    {
        var applied = Replication.Applied;
        if (Oplog.Count > 0 && applied.Index < Oplog[0].Position.Index - 1)
        {
            ghost.Violate("applied position is in the node's oplog", $"node {Id} applied {applied} but its oplog starts at {Oplog[0].Position}");
        }

        for (var i = OplogSearch.FirstAfter(Oplog, applied.Index); i < Oplog.Count && Oplog[i].Position.Index <= upTo.Index; i++)
        {
            OplogApplier.Apply(Data, OplogApplier.ToAction(Oplog[i]));
            applied = Oplog[i].Position;
        }

        Replication = Replication with { Applied = applied };
        return CheckRecovery();
    }

    public RecoveryStatus CheckRecovery()
    {
        if (Replication.State != ReplicationState.Recovering || Replication.MinValid is not { } minValid)
        {
            return Replication.State == ReplicationState.Consistent ? RecoveryStatus.Consistent : RecoveryStatus.StillRecovering;
        }

        var at = OplogSearch.FindIndex(Oplog, minValid.Index);
        long? term = at >= 0 ? Oplog[at].Position.Term : null;
        var status = SyncPlanner.CheckRecovery(minValid, Replication.Applied, term);
        if (status == RecoveryStatus.Consistent)
        {
            Replication = Replication with { State = ReplicationState.Consistent, MinValid = null };
        }

        return status;
    }

    /// <summary>Removes the entries after <paramref name="commonPoint"/> (rollback).</summary>
    public void TruncateAfter(OpPosition commonPoint)
    {
        Oplog.RemoveRange(OplogSearch.FirstAfter(Oplog, commonPoint.Index), Oplog.Count - OplogSearch.FirstAfter(Oplog, commonPoint.Index));
        FullLog.RemoveRange(OplogSearch.FirstAfter(FullLog, commonPoint.Index), FullLog.Count - OplogSearch.FirstAfter(FullLog, commonPoint.Index));
    }

    /// <summary>Empties the oplog and data for a resync (the term document stays).</summary>
    public void ClearForResync(string attempt)
    {
        var held = Replication.ReportedLast(Last);
        Oplog.Clear();
        FullLog = [];
        Data.Clear();
        Replication = new ReplicationRecord(OpPosition.Zero, ReplicationState.Resyncing, HeldUpTo: held, Attempt: attempt);
    }

    /// <summary>True while the node is owned by the rollback or resync <paramref name="attempt"/>.</summary>
    public bool OwnedBy(string attempt) => Replication.Attempt == attempt;

    /// <summary>Whether a follower may append to and apply on this node (not in the middle of a rollback or resync).</summary>
    public bool Follows => Replication.State is ReplicationState.Consistent or ReplicationState.Recovering;

    /// <summary>Ends a resync: the oplog becomes the base entry; the ghost log becomes the source's history up to it.</summary>
    public void FinishResync(OplogEntry? baseEntry, List<OplogEntry> ghostHistory, OpPosition minValid)
    {
        Oplog.Clear();
        if (baseEntry is not null)
        {
            Oplog.Add(baseEntry);
        }

        FullLog = ghostHistory;
        Replication = new ReplicationRecord(baseEntry?.Position ?? OpPosition.Zero, ReplicationState.Recovering, minValid);
        CheckRecovery();
    }

    private void SetTerm(TermRecord record)
    {
        if (record.Term < Term.Term)
        {
            ghost.Violate("terms never decrease on any node", $"node {Id} went from term {Term.Term} to {record.Term}");
        }

        Term = record;
    }
}
