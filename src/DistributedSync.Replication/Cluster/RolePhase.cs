using System.Collections.Immutable;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Cluster;

/// <summary>Where the daemon stands in the master life cycle.</summary>
public abstract record RolePhase
{
    private protected RolePhase()
    {
    }
}

/// <summary>No master and nothing in progress (or no majority reachable). Writes wait only if an election can start.</summary>
public sealed record NoMasterPhase : RolePhase
{
    /// <summary>The only instance.</summary>
    public static NoMasterPhase Instance { get; } = new();
}

/// <summary>Before an election: <paramref name="TargetId"/> copies from <paramref name="SourceId"/> until it reaches <paramref name="Goal"/>.</summary>
/// <param name="TargetId">The node that will be elected once caught up (the highest Id available).</param>
/// <param name="SourceId">The most up-to-date node (may equal the target when only its term is behind).</param>
/// <param name="Term">The highest stored term among reachable nodes; the target's term is raised to it.</param>
/// <param name="TermMasterId">The master stored with <paramref name="Term"/>.</param>
/// <param name="Goal">The best oplog position among reachable nodes.</param>
/// <param name="Deadline">When the catch-up is abandoned.</param>
public sealed record CatchingUpPhase(int TargetId, int SourceId, long Term, int TermMasterId, OpPosition Goal, DateTimeOffset Deadline) : RolePhase;

/// <summary>Term compare-and-set round for <paramref name="CandidateId"/>.</summary>
/// <param name="CandidateId">The node to promote.</param>
/// <param name="Term">The new term (highest seen + 1).</param>
/// <param name="Acks">Nodes that now store (Term, CandidateId), with their last oplog position read after the write.</param>
/// <param name="Deadline">When the round is abandoned.</param>
/// <param name="Takeover">True when a master handed over to the candidate.</param>
public sealed record ElectingPhase(int CandidateId, long Term, ImmutableDictionary<int, OpPosition> Acks, DateTimeOffset Deadline, bool Takeover) : RolePhase;

/// <summary>A majority stores the term; the host recovers the node and writes the term's first (noop) entry.</summary>
/// <param name="NodeId">The node being promoted.</param>
/// <param name="Term">Its term.</param>
/// <param name="SendAt">When <see cref="PromoteNode"/> is (re)sent.</param>
/// <param name="Deadline">When the promotion is abandoned (the master is demoted and a new election follows).</param>
public sealed record PromotingPhase(int NodeId, long Term, DateTimeOffset SendAt, DateTimeOffset Deadline) : RolePhase;

/// <summary>A master takes writes.</summary>
/// <param name="MasterId">The master.</param>
/// <param name="Term">Its term.</param>
/// <param name="LastDurable">The master's last position known to be in its oplog and data.</param>
/// <param name="BatchInFlight">The group-commit batch sent to the host and not yet answered.</param>
/// <param name="Handover">A takeover in progress: writes are paused.</param>
public sealed record ServingPhase(int MasterId, long Term, OpPosition LastDurable, long? BatchInFlight, Handover? Handover) : RolePhase;

/// <summary>A takeover in progress.</summary>
/// <param name="TargetId">The higher-Id node taking over.</param>
/// <param name="Deadline">When it is abandoned if the target has not reached the master's last position.</param>
public sealed record Handover(int TargetId, DateTimeOffset Deadline);
