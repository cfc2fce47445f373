using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Engine;

/// <summary>The cluster as <c>GET /status</c> shows it.</summary>
/// <param name="Term">The current election term.</param>
/// <param name="MasterId">The id of the master, or null while none is elected.</param>
/// <param name="Nodes">Every configured node, in configuration order.</param>
public sealed record ClusterStatus(long Term, int? MasterId, IReadOnlyList<ClusterNodeStatus> Nodes);

/// <summary>One node in <see cref="ClusterStatus"/>.</summary>
/// <param name="Id">The configured id.</param>
/// <param name="Name">The configured name.</param>
/// <param name="Uri">The connection string; shown redacted (<see cref="MongoConnectionString.ToString"/>).</param>
/// <param name="Alive">Whether the node answered its last heartbeats.</param>
/// <param name="Role">Its role.</param>
/// <param name="Term">The highest term the node has recorded.</param>
/// <param name="Applied">The last oplog entry applied on it.</param>
/// <param name="LagOps">How many entries it is behind the master (0 for the master).</param>
/// <param name="State">The engine's state name for the node (free text, for operators).</param>
/// <param name="Resync">While <paramref name="Role"/> is <see cref="NodeRole.Resyncing"/>: how far the copy is, once it has started copying; otherwise null.</param>
public sealed record ClusterNodeStatus(int Id, string Name, MongoConnectionString Uri, bool Alive, NodeRole Role, long Term, OplogPosition Applied, long LagOps, string State, ResyncProgress? Resync = null);

/// <summary>How far a full resync's copy of the collections is.</summary>
/// <param name="Copied">Documents copied so far.</param>
/// <param name="Total">The estimate of all documents to copy (the source's collection counts when the copy started).</param>
/// <param name="Rate">Documents copied per second since the copy started.</param>
/// <param name="EtaSeconds">Seconds left at that rate; null while the rate is unknown.</param>
public sealed record ResyncProgress(long Copied, long Total, double Rate, double? EtaSeconds);

/// <summary>A node's role; written in <c>/status</c> as <c>master</c>, <c>slave</c>, <c>down</c>, <c>resyncing</c> or <c>rollingBack</c>.</summary>
public enum NodeRole
{
    /// <summary>Not reachable.</summary>
    Down,

    /// <summary>The elected master: takes every write.</summary>
    Master,

    /// <summary>A slave in sync (or catching up) through the oplog.</summary>
    Slave,

    /// <summary>A slave being copied in full from the master.</summary>
    Resyncing,

    /// <summary>A node undoing entries the new master never had.</summary>
    RollingBack,
}
