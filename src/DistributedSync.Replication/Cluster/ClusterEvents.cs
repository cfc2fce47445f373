using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>Something the host observed and hands to <see cref="ClusterDecider.Decide"/>.</summary>
public abstract record ClusterEvent
{
    private protected ClusterEvent()
    {
    }
}

/// <summary>Time passed (the host sends one at least every heartbeat interval / 4). The decider reads the time from its <see cref="TimeProvider"/>.</summary>
public sealed record Tick : ClusterEvent
{
    /// <summary>The only instance.</summary>
    public static Tick Instance { get; } = new();
}

/// <summary>A node answered heartbeat <paramref name="Sequence"/> (ping plus reads of its term, oplog end and replication documents).</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Sequence">The sequence from <see cref="SendHeartbeat"/>.</param>
/// <param name="Status">What it stores.</param>
public sealed record HeartbeatSucceeded(int NodeId, long Sequence, NodeStatus Status) : ClusterEvent;

/// <summary>Heartbeat <paramref name="Sequence"/> failed or timed out.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Sequence">The sequence from <see cref="SendHeartbeat"/>.</param>
/// <param name="Refused">
/// The node's address refused the connection: nothing listens there (its process is gone), which
/// is an answer, not silence, so the node is down at once instead of after FailureTimeout.
/// </param>
public sealed record HeartbeatFailed(int NodeId, long Sequence, bool Refused = false) : ClusterEvent;

/// <summary>Result of a <see cref="WriteTerm"/> compare-and-set.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">The term written.</param>
/// <param name="MasterId">The master written.</param>
/// <param name="Succeeded">The node now stores exactly (Term, MasterId).</param>
/// <param name="StoredTerm">The node's stored term afterwards; null when unreachable.</param>
/// <param name="LastPosition">
/// The node's last oplog position (<see cref="Metadata.ReplicationRecord.ReportedLast"/>) read after
/// the write (null when unreachable). Once a node stores
/// the new term no writer of an older term can extend its oplog, so this is the position the
/// election compares with the candidate's: like a Raft vote, a node whose log is more recent than
/// the candidate's makes the election fail.
/// </param>
/// <param name="State">
/// The node's replication state read with it (null when unreachable). The candidate must be
/// consistent: when it acknowledges in another state the election is abandoned.
/// </param>
public sealed record TermWriteCompleted(int NodeId, long Term, int MasterId, bool Succeeded, long? StoredTerm, OpPosition? LastPosition, Metadata.ReplicationState? State = null) : ClusterEvent;

/// <summary>The host promoted the node: re-applied its oplog tail, then wrote the term's noop entry.</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">Its term.</param>
/// <param name="RecoveredPosition">The node's last position before the noop (its history as recovered).</param>
/// <param name="LastPosition">The noop's position.</param>
public sealed record PromotionCompleted(int NodeId, long Term, OpPosition RecoveredPosition, OpPosition LastPosition) : ClusterEvent;

/// <summary>The promotion failed (unreachable, or the node stores a higher term).</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">The term it was promoted in.</param>
/// <param name="StoredTerm">The node's stored term when known.</param>
public sealed record PromotionFailed(int NodeId, long Term, long? StoredTerm) : ClusterEvent;

/// <summary>A client write arrived. The host keeps its content; the decider only orders and answers it.</summary>
/// <param name="RequestId">Unique id.</param>
/// <param name="Concern">Its write concern.</param>
public sealed record WriteRequested(long RequestId, WriteConcern Concern) : ClusterEvent;

/// <summary>A group-commit batch is in the master's oplog and data.</summary>
/// <param name="MasterId">The master.</param>
/// <param name="Term">Its term.</param>
/// <param name="BatchId">The batch.</param>
/// <param name="Results">Each request's position; null for a request that changed nothing or was rejected (the host has answered those itself).</param>
/// <param name="LastPosition">The master's last position after the batch.</param>
public sealed record BatchCompleted(int MasterId, long Term, long BatchId, IReadOnlyList<WriteResult> Results, OpPosition LastPosition) : ClusterEvent;

/// <summary>One request's outcome in a batch.</summary>
/// <param name="RequestId">The request.</param>
/// <param name="Position">Its oplog position, or null when it wrote nothing.</param>
public sealed record WriteResult(long RequestId, OpPosition? Position);

/// <summary>A batch failed part-way (its writes may or may not be in the oplog).</summary>
/// <param name="MasterId">The master.</param>
/// <param name="Term">Its term.</param>
/// <param name="BatchId">The batch.</param>
/// <param name="StoredTerm">The master's stored term when known (higher than Term: it was fenced).</param>
public sealed record BatchFailed(int MasterId, long Term, long BatchId, long? StoredTerm) : ClusterEvent;

/// <summary>A replication task (tailing or catch-up) applied up to <paramref name="Applied"/>.</summary>
/// <param name="NodeId">The follower.</param>
/// <param name="Term">The task's term.</param>
/// <param name="Applied">The follower's applied position (its oplog ends there too).</param>
/// <param name="Consistent">False while the follower is recovering (before minValid).</param>
public sealed record ReplicationProgressed(int NodeId, long Term, OpPosition Applied, bool Consistent) : ClusterEvent;

/// <summary>A replication task found that the follower cannot continue: it must roll back or resync.</summary>
/// <param name="NodeId">The follower.</param>
/// <param name="Term">The task's term.</param>
/// <param name="Action">Rollback or Resync (see <see cref="Sync.SyncPlanner"/>).</param>
/// <param name="FollowerLast">The follower's last oplog position the decision was made from; the repair checks it before changing anything.</param>
public sealed record ReplicationDiverged(int NodeId, long Term, Sync.SyncAction Action, OpPosition FollowerLast) : ClusterEvent;

/// <summary>A rollback or resync finished, or any replication task gave up; the decider restarts what is needed.</summary>
/// <param name="NodeId">The follower.</param>
/// <param name="Term">The task's term.</param>
/// <param name="Kind">The task that ended.</param>
/// <param name="Succeeded">False when it gave up.</param>
public sealed record SyncTaskEnded(int NodeId, long Term, SyncTaskKind Kind, bool Succeeded) : ClusterEvent;

/// <summary>Any operation found a node storing a term higher than the one it acted in (fencing).</summary>
/// <param name="NodeId">The node.</param>
/// <param name="Term">Its stored term.</param>
public sealed record HigherTermObserved(int NodeId, long Term) : ClusterEvent;
