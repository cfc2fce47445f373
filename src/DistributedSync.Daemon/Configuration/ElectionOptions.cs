namespace DistributedSync.Daemon.Configuration;

/// <summary>Heartbeats and the term-aware Bully election (<c>DistributedSync:Election</c>).</summary>
public sealed class ElectionOptions
{
    /// <summary>The default of <see cref="HeartbeatIntervalMs"/>.</summary>
    public const int DefaultHeartbeatIntervalMs = 250;

    /// <summary>The default of <see cref="FailureTimeoutMs"/>.</summary>
    public const int DefaultFailureTimeoutMs = 2_000;

    /// <summary>How often every node is pinged (<c>:HeartbeatIntervalMs</c>, default 250, positive).</summary>
    public int HeartbeatIntervalMs { get; set; } = DefaultHeartbeatIntervalMs;

    /// <summary>
    /// How long a node may go without answering a heartbeat before it counts as down
    /// (<c>:FailureTimeoutMs</c>, default 2000); must exceed <see cref="HeartbeatIntervalMs"/>.
    /// A node whose address refuses connections (its process is gone) is down at once.
    /// </summary>
    public int FailureTimeoutMs { get; set; } = DefaultFailureTimeoutMs;

    /// <summary>
    /// Let a recovered node with a higher id take the master role back once it has caught up
    /// (<c>:TakeoverEnabled</c>, default true, the Bully rule). When false the sitting master
    /// keeps the role until it fails.
    /// </summary>
    public bool TakeoverEnabled { get; set; } = true;
}
