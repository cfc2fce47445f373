using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>Where a write request is.</summary>
public enum WriteStage
{
    /// <summary>Waiting for the next group-commit batch (never sent to a node).</summary>
    Queued,

    /// <summary>Sent to the master in a batch; no answer yet.</summary>
    InBatch,

    /// <summary>In the master's oplog at <see cref="PendingWrite.Position"/>; waiting for the majority commit point.</summary>
    AwaitingMajority,
}

/// <summary>A write request the decider has not answered yet.</summary>
/// <param name="RequestId">The host's id for the request.</param>
/// <param name="Concern">Its write concern.</param>
/// <param name="Deadline">Arrival + wtimeout.</param>
/// <param name="Stage">See <see cref="WriteStage"/>.</param>
/// <param name="BatchId">The batch it was sent in (0 while queued).</param>
/// <param name="Position">Its oplog position once known.</param>
public sealed record PendingWrite(long RequestId, WriteConcern Concern, DateTimeOffset Deadline, WriteStage Stage, long BatchId = 0, OpPosition Position = default);
