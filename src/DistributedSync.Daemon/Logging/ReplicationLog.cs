using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>Oplog replication (3000-3099), full resync (3100-3199), rollback (3200-3299) and both repairs (3300-3399).</summary>
public static partial class ReplicationLog
{
    /// <summary>Where a slave stands.</summary>
    [LoggerMessage(EventId = 3001, EventName = "ReplicationProgress", Level = LogLevel.Information, Message = "Node {NodeId} ({NodeName}) applied up to {Applied}, {LagOps} entries behind the master")]
    public static partial void ReplicationProgress(this ILogger logger, int nodeId, string nodeName, string applied, long lagOps);

    /// <summary>One batch pushed to a slave.</summary>
    [LoggerMessage(EventId = 3002, EventName = "ReplicationBatchApplied", Level = LogLevel.Debug, Message = "Applied {Count} oplog entries on node {NodeId} up to {Applied} in {ElapsedMs:F1} ms")]
    public static partial void ReplicationBatchApplied(this ILogger logger, int nodeId, int count, string applied, double elapsedMs);

    /// <summary>Pushing to a slave failed; it is retried.</summary>
    [LoggerMessage(EventId = 3003, EventName = "ReplicationFailed", Level = LogLevel.Warning, Message = "Replication to node {NodeId} failed: {Reason}")]
    public static partial void ReplicationFailed(this ILogger logger, int nodeId, string reason, Exception? exception = null);

    /// <summary>A write concern was not met in time.</summary>
    [LoggerMessage(EventId = 3004, EventName = "WriteConcernTimeout", Level = LogLevel.Warning, Message = "Write concern {WriteConcern} not met within {TimeoutMs} ms for the entry at {Position}")]
    public static partial void WriteConcernTimeout(this ILogger logger, string writeConcern, long timeoutMs, string position);

    /// <summary>A full copy of a node started.</summary>
    [LoggerMessage(EventId = 3101, EventName = "ResyncStarted", Level = LogLevel.Warning, Message = "Full resync of node {NodeId} ({NodeName}) from node {SourceId} started: {Reason}")]
    public static partial void ResyncStarted(this ILogger logger, int nodeId, string nodeName, int sourceId, string reason);

    /// <summary>How far a full copy is (about once a second, and at the end of every collection).</summary>
    [LoggerMessage(EventId = 3102, EventName = "ResyncProgress", Level = LogLevel.Information, Message = "Resync of node {NodeId}: collection {Collection}, {Copied} of about {Total} documents, {Rate:F0} documents/s, ETA {EtaSeconds:F0} s")]
    public static partial void ResyncProgress(this ILogger logger, int nodeId, string collection, long copied, long total, double rate, double etaSeconds);

    /// <summary>A full copy finished.</summary>
    [LoggerMessage(EventId = 3103, EventName = "ResyncCompleted", Level = LogLevel.Information, Message = "Full resync of node {NodeId} finished at {Applied}: {Documents} documents in {ElapsedMs:F0} ms")]
    public static partial void ResyncCompleted(this ILogger logger, int nodeId, string applied, long documents, double elapsedMs);

    /// <summary>A full copy failed; it is retried.</summary>
    [LoggerMessage(EventId = 3104, EventName = "ResyncFailed", Level = LogLevel.Error, Message = "Full resync of node {NodeId} failed: {Reason}")]
    public static partial void ResyncFailed(this ILogger logger, int nodeId, string reason, Exception? exception = null);

    /// <summary>A node started undoing entries the master does not have.</summary>
    [LoggerMessage(EventId = 3201, EventName = "RollbackStarted", Level = LogLevel.Warning, Message = "Rolling back node {NodeId} from {From} to the common point {CommonPoint}: {Entries} entries")]
    public static partial void RollbackStarted(this ILogger logger, int nodeId, string from, string commonPoint, long entries);

    /// <summary>A rollback finished.</summary>
    [LoggerMessage(EventId = 3202, EventName = "RollbackCompleted", Level = LogLevel.Information, Message = "Rollback of node {NodeId} finished: {Undone} entries undone, now at {Applied}")]
    public static partial void RollbackCompleted(this ILogger logger, int nodeId, long undone, string applied);

    /// <summary>A rollback could not be done (e.g. no common point in the oplog); the node is resynced instead.</summary>
    [LoggerMessage(EventId = 3203, EventName = "RollbackFailed", Level = LogLevel.Error, Message = "Rollback of node {NodeId} failed, falling back to a full resync: {Reason}")]
    public static partial void RollbackFailed(this ILogger logger, int nodeId, string reason, Exception? exception = null);

    /// <summary>A rollback or resync was not started because the node moved on since it was decided.</summary>
    [LoggerMessage(EventId = 3301, EventName = "RepairSkipped", Level = LogLevel.Warning, Message = "{Repair} of node {NodeId} skipped: its oplog ends at {Actual}, not at {Expected} as when the repair was decided")]
    public static partial void RepairSkipped(this ILogger logger, string repair, int nodeId, string actual, string expected);

    /// <summary>A rollback or resync stopped because another attempt owns the node now (its replication record names another attempt).</summary>
    [LoggerMessage(EventId = 3302, EventName = "RepairSuperseded", Level = LogLevel.Warning, Message = "{Repair} of node {NodeId} stopped before step {Step}: attempt {Attempt} no longer owns the node (its replication record names {Found})")]
    public static partial void RepairSuperseded(this ILogger logger, string repair, int nodeId, string step, string attempt, string found);
}
