using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>Something the host must do, returned by <see cref="ClusterDecider.Decide"/>. Commands are executed in order.</summary>
public abstract record ClusterCommand
{
    private protected ClusterCommand()
    {
    }
}

/// <summary>Ping the node and read its term, oplog end and replication documents; answer with <see cref="HeartbeatSucceeded"/> or <see cref="HeartbeatFailed"/>.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Sequence">Echo it in the answer.</param>
public sealed record SendHeartbeat(int NodeId, long Sequence) : ClusterCommand;

/// <summary>Compare-and-set the node's term document to (Term, MasterId) where its stored term is lower (<see cref="Metadata.TermRules.CompareAndSet"/>); answer <see cref="TermWriteCompleted"/>.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">The new term.</param>
/// <param name="MasterId">The master of that term.</param>
public sealed record WriteTerm(int NodeId, long Term, int MasterId) : ClusterCommand;

/// <summary>
/// Bring <paramref name="NodeId"/> up to <paramref name="SourceId"/> before an election: raise its
/// term to <paramref name="Term"/> (with <paramref name="TermMasterId"/>) where lower, then follow the
/// source exactly like <see cref="StartTailing"/> (writes fenced with <paramref name="Term"/>),
/// reporting <see cref="ReplicationProgressed"/>, except that it only ever appends: when the node
/// would have to roll back or resync it reports <see cref="ReplicationDiverged"/> and stops.
/// When the node is the source, only the term is raised.
/// The decider ends the task with <see cref="StopTailing"/> once the node reached <paramref name="Goal"/>.
/// </summary>
/// <param name="NodeId">The node to catch up.</param>
/// <param name="SourceId">The most up-to-date node.</param>
/// <param name="Term">The highest stored term among reachable nodes.</param>
/// <param name="TermMasterId">The master stored with that term.</param>
/// <param name="Goal">The source's last position.</param>
public sealed record CatchUpNode(int NodeId, int SourceId, long Term, int TermMasterId, OpPosition Goal) : ClusterCommand;

/// <summary>
/// Make the node the master of <paramref name="Term"/>: check it stores that term, re-apply its
/// oplog after its applied position (crash recovery), append a noop entry of the term, and answer
/// <see cref="PromotionCompleted"/> or <see cref="PromotionFailed"/>. No write goes to it before.
/// </summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">Its term.</param>
public sealed record PromoteNode(int NodeId, long Term) : ClusterCommand;

/// <summary>Stop writing to the node now: abandon any batch in flight and refuse further writes in <paramref name="Term"/>.</summary>
/// <param name="NodeId">The (former) master.</param>
/// <param name="Term">The term it was master in.</param>
/// <param name="Reason">Why.</param>
public sealed record DemoteNode(int NodeId, long Term, DemotionReason Reason) : ClusterCommand;

/// <summary>Why a master stops.</summary>
public enum DemotionReason
{
    /// <summary>A node stores a higher term.</summary>
    HigherTerm,

    /// <summary>The master stopped answering heartbeats.</summary>
    MasterUnreachable,

    /// <summary>Fewer than a majority of nodes are reachable.</summary>
    NoMajority,

    /// <summary>A higher-Id node takes over.</summary>
    Takeover,

    /// <summary>The promotion finished after the decider had moved on.</summary>
    Superseded,
}

/// <summary>
/// Group commit: write the requests, in order, to the master. For each request the host computes
/// the document after the change from the master's data, appends all entries to the master's oplog
/// (numbered after <paramref name="ExpectedLast"/>, fenced with <paramref name="Term"/>), then applies
/// them to the data and sets the applied position; answer <see cref="BatchCompleted"/> or
/// <see cref="BatchFailed"/>. When the master's oplog no longer ends at <paramref name="ExpectedLast"/>
/// (a late write from an abandoned batch got there first) the batch fails without writing.
/// </summary>
/// <param name="MasterId">The master.</param>
/// <param name="Term">Its term.</param>
/// <param name="BatchId">Echo it in the answer.</param>
/// <param name="RequestIds">The requests, in order.</param>
/// <param name="ExpectedLast">The master's last position as the decider knows it.</param>
public sealed record AppendBatch(int MasterId, long Term, long BatchId, IReadOnlyList<long> RequestIds, OpPosition ExpectedLast) : ClusterCommand;

/// <summary>
/// Follow the master: raise the node's term to (Term, MasterId) where lower, re-apply its own
/// oplog after its applied position, then repeatedly fetch the entries after its last position,
/// append them (only if the node's oplog still ends where the fetch started and the node is
/// consistent or recovering), apply them and set applied, reporting <see cref="ReplicationProgressed"/>
/// whenever the applied position it has verified against the master changes (also when re-applying
/// its own tail moved it, and once when it first finds itself up to date).
/// Every write is fenced with <paramref name="Term"/>. On a mismatch (<see cref="Sync.SyncPlanner.Decide"/>)
/// report <see cref="ReplicationDiverged"/> and stop; when the source holds entries of a newer term
/// (<see cref="Metadata.TermRules.NewerTermIn"/>) report <see cref="HigherTermObserved"/> and stop.
/// </summary>
/// <param name="NodeId">The slave.</param>
/// <param name="MasterId">The master.</param>
/// <param name="Term">The master's term (fences every write to the slave).</param>
public sealed record StartTailing(int NodeId, int MasterId, long Term) : ClusterCommand;

/// <summary>Stop whatever replication task runs for the node (tailing, catch-up, rollback or resync).</summary>
/// <param name="NodeId">The node.</param>
public sealed record StopTailing(int NodeId) : ClusterCommand;

/// <summary>
/// Roll the node back against the source (<see cref="Sync.RollbackPlanner"/>, steps in the order of
/// <see cref="Sync.RollbackPlan"/>, each fenced with the term and owned by a fresh
/// <see cref="Metadata.ReplicationRecord.Attempt"/>), then answer <see cref="SyncTaskEnded"/>; with no
/// common point answer <see cref="ReplicationDiverged"/> (Resync). The first step changes nothing
/// unless the node's oplog still ends at <paramref name="ExpectedLast"/>: a request that waited
/// on the wire until the node had moved on must not act on an outdated plan.
/// </summary>
/// <param name="NodeId">The node.</param>
/// <param name="SourceId">The master (or catch-up source).</param>
/// <param name="Term">The fencing term.</param>
/// <param name="ExpectedLast">The node's last position when the divergence was found.</param>
public sealed record StartRollback(int NodeId, int SourceId, long Term, OpPosition ExpectedLast) : ClusterCommand;

/// <summary>
/// Full resync: mark the node <c>resync</c> with a fresh <see cref="Metadata.ReplicationRecord.Attempt"/>
/// that every later step checks (keeping <see cref="Metadata.ReplicationRecord.HeldUpTo"/>),
/// clear its data and oplog, record the source's <em>applied</em> position P (its data reflects exactly
/// P; its oplog may already hold later entries), copy every collection in batches, record the
/// source's last position M, set the node's oplog to the entry at P, applied = P, state
/// <c>recovering</c> with minValid = M; answer <see cref="SyncTaskEnded"/>. With no entry at P
/// (the source has no history) the oplog stays empty and applied = Zero. Nothing is cleared
/// unless the node's oplog still ends at <paramref name="ExpectedLast"/>.
/// </summary>
/// <param name="NodeId">The node.</param>
/// <param name="SourceId">The master (or catch-up source).</param>
/// <param name="Term">The fencing term.</param>
/// <param name="ExpectedLast">The node's last position when the need for a resync was found.</param>
public sealed record StartResync(int NodeId, int SourceId, long Term, OpPosition ExpectedLast) : ClusterCommand;

/// <summary>Answer write requests successfully.</summary>
/// <param name="Writes">The requests and their positions (null: the request wrote nothing).</param>
/// <param name="UpTo">For w=1: the master's last position; for majority: the commit point.</param>
/// <param name="Majority">True when these are majority acknowledgements.</param>
public sealed record AcknowledgeWrites(IReadOnlyList<WriteResult> Writes, OpPosition UpTo, bool Majority) : ClusterCommand;

/// <summary>Answer write requests with an error.</summary>
/// <param name="RequestIds">The requests.</param>
/// <param name="Reason">Why.</param>
/// <param name="MayHaveBeenApplied">True when the write was sent to a master and may survive.</param>
public sealed record FailWrites(IReadOnlyList<long> RequestIds, WriteFailureReason Reason, bool MayHaveBeenApplied) : ClusterCommand;
