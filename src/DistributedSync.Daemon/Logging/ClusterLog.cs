using DistributedSync.Mongo.Configuration;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>
/// Node liveness and heartbeats: event ids 1000-1099. Connection strings are taken as
/// <see cref="MongoConnectionString"/>, whose text never shows the password.
/// </summary>
public static partial class ClusterLog
{
    /// <summary>A node answered after being down (or for the first time).</summary>
    [LoggerMessage(EventId = 1001, EventName = "NodeUp", Level = LogLevel.Information, Message = "Node {NodeId} ({NodeName}, {NodeUri}) is up")]
    public static partial void NodeUp(this ILogger logger, int nodeId, string nodeName, MongoConnectionString nodeUri);

    /// <summary>A node missed heartbeats for longer than the failure timeout.</summary>
    [LoggerMessage(EventId = 1002, EventName = "NodeDown", Level = LogLevel.Warning, Message = "Node {NodeId} ({NodeName}, {NodeUri}) is down: {Reason}")]
    public static partial void NodeDown(this ILogger logger, int nodeId, string nodeName, MongoConnectionString nodeUri, string reason);

    /// <summary>One heartbeat's round trip.</summary>
    [LoggerMessage(EventId = 1003, EventName = "HeartbeatRoundTrip", Level = LogLevel.Debug, Message = "Heartbeat to node {NodeId} ({NodeName}) took {RoundTripMs:F1} ms")]
    public static partial void HeartbeatRoundTrip(this ILogger logger, int nodeId, string nodeName, double roundTripMs);

    /// <summary>One heartbeat failed (the node is not yet declared down).</summary>
    [LoggerMessage(EventId = 1004, EventName = "HeartbeatFailed", Level = LogLevel.Debug, Message = "Heartbeat to node {NodeId} ({NodeName}) failed: {Reason}")]
    public static partial void HeartbeatFailed(this ILogger logger, int nodeId, string nodeName, string reason, Exception? exception = null);

    /// <summary>The node list the daemon works with, one event per node at start.</summary>
    [LoggerMessage(EventId = 1005, EventName = "NodeConfigured", Level = LogLevel.Information, Message = "Node {NodeId} ({NodeName}) at {NodeUri}")]
    public static partial void NodeConfigured(this ILogger logger, int nodeId, string nodeName, MongoConnectionString nodeUri);
}
