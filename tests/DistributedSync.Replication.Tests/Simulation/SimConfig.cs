using DistributedSync.Replication.Cluster;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>The shape of one simulated run. Fault rates are per 10 ms step.</summary>
internal sealed record SimConfig
{
    public int NodeCount { get; init; } = 3;

    public int Steps { get; init; } = 400;

    public long StepMs { get; init; } = 10;

    public int OplogCapacity { get; init; } = 60;

    public int KeyCount { get; init; } = 12;

    public double WriteRate { get; init; } = 0.5;

    public double MajorityShare { get; init; } = 0.6;

    public double MaxLossRate { get; init; } = 0.05;

    public double NodeCrashRate { get; init; } = 0.003;

    public double PartitionRate { get; init; } = 0.003;

    public double DaemonCrashRate { get; init; } = 0.002;

    /// <summary>Rate of "the daemon is cut off, a supervisor starts another, the old one comes back before it is killed".</summary>
    public double ZombieRate { get; init; } = 0.001;

    public double SlowMessageRate { get; init; } = 0.03;

    public long ConvergenceLimitMs { get; init; } = 30_000;

    public bool TakeoverEnabled { get; init; } = true;

    /// <summary>
    /// Also require every w=1 acknowledged write to survive. Only meaningful when nothing but the
    /// daemon fails: a master that crashes or is cut off may legitimately lose its w=1 writes.
    /// </summary>
    public bool EveryAcknowledgedWriteSurvives { get; init; }

    public ClusterOptions Options(IReadOnlyList<int> ids) => new()
    {
        NodeIds = ids,
        HeartbeatInterval = TimeSpan.FromMilliseconds(50),
        FailureTimeout = TimeSpan.FromMilliseconds(250),
        RecoveryHeartbeats = 3,
        ElectionTimeout = TimeSpan.FromMilliseconds(300),
        CatchUpTimeout = TimeSpan.FromMilliseconds(600),
        PromotionRetryInterval = TimeSpan.FromMilliseconds(50),
        TakeoverEnabled = TakeoverEnabled,
        TakeoverMaxLag = 20,
        TakeoverTimeout = TimeSpan.FromMilliseconds(400),
        TakeoverBackoff = TimeSpan.FromMilliseconds(800),
        MaxBatchSize = 8,
        AllowEvenNodeCount = NodeCount % 2 == 0,
    };
}
