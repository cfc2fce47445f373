using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>Embedded emulator node processes: event ids 6000-6099.</summary>
public static partial class EmbeddedLog
{
    /// <summary>A node process is being started.</summary>
    [LoggerMessage(EventId = 6001, EventName = "EmbeddedNodeStarting", Level = LogLevel.Information, Message = "Starting embedded node {NodeName} on port {Port} (dbpath {DbPath})")]
    public static partial void NodeStarting(this ILogger logger, string nodeName, int port, string dbPath);

    /// <summary>A node process accepts connections.</summary>
    [LoggerMessage(EventId = 6002, EventName = "EmbeddedNodeReady", Level = LogLevel.Information, Message = "Embedded node {NodeName} (pid {ProcessId}) is waiting for connections on port {Port} after {ElapsedMs:F0} ms")]
    public static partial void NodeReady(this ILogger logger, string nodeName, int processId, int port, double elapsedMs);

    /// <summary>A node process exited while the daemon was running.</summary>
    [LoggerMessage(EventId = 6003, EventName = "EmbeddedNodeExited", Level = LogLevel.Warning, Message = "Embedded node {NodeName} (pid {ProcessId}) exited with code {ExitCode}; it is not restarted automatically (restart the daemon to bring it back)")]
    public static partial void NodeExited(this ILogger logger, string nodeName, int processId, int exitCode);

    /// <summary>A node process is being stopped with SIGTERM.</summary>
    [LoggerMessage(EventId = 6004, EventName = "EmbeddedNodeStopping", Level = LogLevel.Information, Message = "Stopping embedded node {NodeName} (pid {ProcessId})")]
    public static partial void NodeStopping(this ILogger logger, string nodeName, int processId);

    /// <summary>A node process stopped.</summary>
    [LoggerMessage(EventId = 6005, EventName = "EmbeddedNodeStopped", Level = LogLevel.Information, Message = "Embedded node {NodeName} (pid {ProcessId}) stopped with code {ExitCode}")]
    public static partial void NodeStopped(this ILogger logger, string nodeName, int processId, int exitCode);

    /// <summary>A node process ignored SIGTERM for the grace period and was killed.</summary>
    [LoggerMessage(EventId = 6006, EventName = "EmbeddedNodeKilled", Level = LogLevel.Warning, Message = "Embedded node {NodeName} (pid {ProcessId}) did not stop within {GraceMs} ms and was killed")]
    public static partial void NodeKilled(this ILogger logger, string nodeName, int processId, int graceMs);

    /// <summary>A line the node process wrote to stdout (its mongod-style JSON log).</summary>
    [LoggerMessage(EventId = 6007, EventName = "EmbeddedNodeOutput", Level = LogLevel.Debug, Message = "[{NodeName}] {Line}")]
    public static partial void NodeOutput(this ILogger logger, string nodeName, string line);

    /// <summary>A line the node process wrote to stderr.</summary>
    [LoggerMessage(EventId = 6008, EventName = "EmbeddedNodeError", Level = LogLevel.Warning, Message = "[{NodeName}] stderr: {Line}")]
    public static partial void NodeErrorOutput(this ILogger logger, string nodeName, string line);

    /// <summary>A node process could not be started.</summary>
    [LoggerMessage(EventId = 6009, EventName = "EmbeddedNodeStartFailed", Level = LogLevel.Error, Message = "Embedded node {NodeName} could not be started: {Reason}")]
    public static partial void NodeStartFailed(this ILogger logger, string nodeName, string reason);

    /// <summary>Which emulator is started, with which host.</summary>
    [LoggerMessage(EventId = 6010, EventName = "EmbeddedEmulator", Level = LogLevel.Information, Message = "Embedded nodes run {Emulator} with {Host}")]
    public static partial void Emulator(this ILogger logger, string emulator, string host);
}
