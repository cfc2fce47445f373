namespace DistributedSync.Replication.Cluster;

/// <summary>
/// Settings of the election and replication logic. All durations are compared with the time the
/// injected <see cref="TimeProvider"/> reports when an event is decided.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The Ids of the MongoDB nodes (distinct, positive). The highest Id is the preferred master (Bully).</summary>
    public required IReadOnlyList<int> NodeIds { get; init; }

    /// <summary>How often every node is pinged (default 250 ms).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A node is down after this long without a heartbeat answer (FailureTimeoutMs, default 2 s), or at once when its address refuses connections.</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A down node is up again only after this many consecutive good heartbeats (K, default 3).</summary>
    public int RecoveryHeartbeats { get; init; } = 3;

    /// <summary>How long the term compare-and-set round of an election may take before it is abandoned (default 5 s).</summary>
    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a behind node may take to catch up before the election picks another node (default 10 s).</summary>
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before a failed promotion is tried again (default 1 s).</summary>
    public TimeSpan PromotionRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether a healthy, caught-up node with a higher Id takes over from the master (default true).</summary>
    public bool TakeoverEnabled { get; init; } = true;

    /// <summary>A takeover starts when the higher node is at most this many entries behind the master (default 64).</summary>
    public long TakeoverMaxLag { get; init; } = 64;

    /// <summary>How long writes may stay paused while the higher node reaches the master's last position (default 10 s).</summary>
    public TimeSpan TakeoverTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After an abandoned takeover, no new one starts for this long (default 30 s).</summary>
    public TimeSpan TakeoverBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Group commit: at most this many queued writes go into one batch (default 1000).</summary>
    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>
    /// Allows an even number of nodes. Off by default: with N = 2k nodes the majority is k + 1, so
    /// the cluster survives k - 1 failures, no more than with 2k - 1 nodes, and a k/k split leaves
    /// both halves without a master.
    /// </summary>
    public bool AllowEvenNodeCount { get; init; }

    /// <summary>The majority: floor(N / 2) + 1 (2 of 3, 3 of 5, 3 of 4).</summary>
    public int Majority => (NodeIds.Count / 2) + 1;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (NodeIds is null || NodeIds.Count < 3)
        {
            throw new ArgumentException("At least three nodes are needed (a majority must survive one failure).", nameof(NodeIds));
        }

        if (NodeIds.Count % 2 == 0 && !AllowEvenNodeCount)
        {
            throw new ArgumentException(
                $"{NodeIds.Count} nodes tolerate no more failures than {NodeIds.Count - 1} and a half/half split has no majority; use an odd count or set AllowEvenNodeCount.",
                nameof(NodeIds));
        }

        if (NodeIds.Distinct().Count() != NodeIds.Count || NodeIds.Any(id => id <= 0))
        {
            throw new ArgumentException("Node Ids must be distinct and positive.", nameof(NodeIds));
        }

        if (HeartbeatInterval <= TimeSpan.Zero || FailureTimeout <= HeartbeatInterval)
        {
            throw new ArgumentException("The failure timeout must be longer than the (positive) heartbeat interval.", nameof(FailureTimeout));
        }

        if (RecoveryHeartbeats < 1 || MaxBatchSize < 1 || TakeoverMaxLag < 0)
        {
            throw new ArgumentException("RecoveryHeartbeats and MaxBatchSize must be at least 1 and TakeoverMaxLag not negative.", nameof(RecoveryHeartbeats));
        }

        if (ElectionTimeout <= TimeSpan.Zero || CatchUpTimeout <= TimeSpan.Zero || TakeoverTimeout <= TimeSpan.Zero
            || PromotionRetryInterval <= TimeSpan.Zero || TakeoverBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException("Timeouts must be positive.", nameof(ElectionTimeout));
        }
    }
}
