namespace DistributedSync.Replication.Cluster;

/// <summary>The result of deciding one event: the next view and the commands for the host, in order.</summary>
/// <param name="View">The state to pass with the next event.</param>
/// <param name="Commands">What the host must do.</param>
public sealed record Decision(ClusterView View, IReadOnlyList<ClusterCommand> Commands);
