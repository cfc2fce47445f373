using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>Everything the daemon knows about one node (immutable; the decider returns changed copies).</summary>
/// <param name="Id">The node's Id.</param>
public sealed record NodeView(int Id)
{
    /// <summary>Reachability with hysteresis (see <see cref="NodeHealth"/>).</summary>
    public NodeHealth Health { get; init; }

    /// <summary>Consecutive good heartbeats (by sequence number) up to now.</summary>
    public int GoodStreak { get; init; }

    /// <summary>The highest heartbeat sequence answered or failed; older answers are ignored as stale.</summary>
    public long LastSequenceSeen { get; init; }

    /// <summary>When the node last answered a heartbeat (the daemon's start time before that).</summary>
    public DateTimeOffset LastReplyAt { get; init; }

    /// <summary>Heartbeats sent to this node so far; the next one has sequence number this + 1.</summary>
    public long HeartbeatsSent { get; init; }

    /// <summary>When the last heartbeat was sent.</summary>
    public DateTimeOffset LastHeartbeatSentAt { get; init; } = DateTimeOffset.MinValue;

    /// <summary>The latest known status; null until the first answer.</summary>
    public NodeStatus? Status { get; init; }

    /// <summary>The replication task the host runs for the node.</summary>
    public SyncTask Task { get; init; } = SyncTask.None;

    /// <summary>When <see cref="Task"/> was started.</summary>
    public DateTimeOffset TaskStartedAt { get; init; }

    /// <summary>The node's applied position as reported by its current replication task; see <see cref="AppliedTerm"/>.</summary>
    public OpPosition? Applied { get; init; }

    /// <summary>The term of the task that reported <see cref="Applied"/>; it counts for the commit point only in the master's term.</summary>
    public long AppliedTerm { get; init; }

    /// <summary>Until then the node is not chosen as a catch-up target (after a catch-up that failed or timed out).</summary>
    public DateTimeOffset CatchUpBlockedUntil { get; init; } = DateTimeOffset.MinValue;

    /// <summary>True when <see cref="Health"/> is up and a status is known.</summary>
    public bool IsUp => Health == NodeHealth.Up && Status is not null;

    /// <summary>The applied position reported in <paramref name="term"/>, or <see cref="OpPosition.Zero"/>.</summary>
    public OpPosition AppliedIn(long term) => AppliedTerm == term && Applied is { } a ? a : OpPosition.Zero;
}
