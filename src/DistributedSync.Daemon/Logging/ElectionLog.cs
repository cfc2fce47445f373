using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>The term-aware Bully election: event ids 2000-2099.</summary>
public static partial class ElectionLog
{
    /// <summary>A node started an election.</summary>
    [LoggerMessage(EventId = 2001, EventName = "ElectionStarted", Level = LogLevel.Information, Message = "Election for term {Term} started by node {CandidateId}: {Reason}")]
    public static partial void ElectionStarted(this ILogger logger, long term, int candidateId, string reason);

    /// <summary>A node won an election and became master.</summary>
    [LoggerMessage(EventId = 2002, EventName = "ElectionWon", Level = LogLevel.Information, Message = "Node {WinnerId} won the election for term {Term}: {Reason}")]
    public static partial void ElectionWon(this ILogger logger, long term, int winnerId, string reason);

    /// <summary>A candidate lost an election (to a higher or more up-to-date node, or for lack of a majority).</summary>
    [LoggerMessage(EventId = 2003, EventName = "ElectionLost", Level = LogLevel.Information, Message = "Node {CandidateId} lost the election for term {Term} (winner: {WinnerId}): {Reason}")]
    public static partial void ElectionLost(this ILogger logger, long term, int candidateId, int? winnerId, string reason);

    /// <summary>The master changed.</summary>
    [LoggerMessage(EventId = 2004, EventName = "MasterChanged", Level = LogLevel.Warning, Message = "Master changed from {OldMasterId} to {NewMasterId} in term {Term}")]
    public static partial void MasterChanged(this ILogger logger, long term, int? oldMasterId, int? newMasterId);

    /// <summary>A master gave up its role (lost the majority, saw a higher term, or was taken over).</summary>
    [LoggerMessage(EventId = 2005, EventName = "MasterSteppedDown", Level = LogLevel.Warning, Message = "Node {NodeId} stepped down as master in term {Term}: {Reason}")]
    public static partial void MasterSteppedDown(this ILogger logger, long term, int nodeId, string reason);
}
