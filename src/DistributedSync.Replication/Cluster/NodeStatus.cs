using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>What a heartbeat reads from a node: its term document, oplog end and replication document.</summary>
/// <param name="Term">The stored term (0 when the node has none).</param>
/// <param name="MasterId">The master stored with that term, null when none.</param>
/// <param name="LastPosition">The position of the node's newest oplog entry (<see cref="OpPosition.Zero"/> when empty); while resyncing, <see cref="ReplicationRecord.ReportedLast"/>.</param>
/// <param name="Applied">The node's applied position.</param>
/// <param name="State">The node's replication state.</param>
public sealed record NodeStatus(long Term, int? MasterId, OpPosition LastPosition, OpPosition Applied, ReplicationState State)
{
    /// <summary>A node that has never been written to.</summary>
    public static NodeStatus Empty { get; } = new(0, null, OpPosition.Zero, OpPosition.Zero, ReplicationState.Consistent);
}

/// <summary>The daemon's opinion of a node's reachability.</summary>
public enum NodeHealth
{
    /// <summary>No heartbeat answered yet since the daemon started; the first answer makes the node up.</summary>
    Unknown,

    /// <summary>Answering heartbeats.</summary>
    Up,

    /// <summary>No answer for FailureTimeout; up again after K consecutive good heartbeats.</summary>
    Down,
}

/// <summary>Which replication task the host runs for a node.</summary>
public enum SyncTaskKind
{
    /// <summary>None.</summary>
    None,

    /// <summary>Following the master (<see cref="StartTailing"/>).</summary>
    Tailing,

    /// <summary>Copying from the most up-to-date node before an election (<see cref="CatchUpNode"/>).</summary>
    CatchingUp,

    /// <summary>Rolling back divergent entries (<see cref="StartRollback"/>).</summary>
    RollingBack,

    /// <summary>Full resync (<see cref="StartResync"/>).</summary>
    Resyncing,
}

/// <summary>A replication task the decider asked the host to run.</summary>
/// <param name="Kind">The task.</param>
/// <param name="SourceId">The node copied from.</param>
/// <param name="Term">The writer term the task fences its writes with.</param>
public sealed record SyncTask(SyncTaskKind Kind, int SourceId, long Term)
{
    /// <summary>No task.</summary>
    public static SyncTask None { get; } = new(SyncTaskKind.None, 0, 0);
}
