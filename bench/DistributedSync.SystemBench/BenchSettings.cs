namespace DistributedSync.SystemBench;

/// <summary>Every size and knob of the benchmarks, resolved from the command line (full or <c>--quick</c> defaults).</summary>
internal sealed record BenchSettings
{
    public required string WorkRoot { get; init; }

    /// <summary>The options of a benchmark's cluster, with the election overrides and daemon arguments of these settings.</summary>
    public Cluster.ClusterOptions ClusterFor(string name, int? oplogSizeMB = null) => new()
    {
        WorkRoot = WorkRoot,
        Name = name,
        OplogSizeMB = oplogSizeMB,
        HeartbeatIntervalMs = HeartbeatMs,
        FailureTimeoutMs = FailureMs,
        DaemonArguments = DaemonArguments,
        KeepWork = KeepWork,
    };

    public bool KeepWork { get; init; }

    public bool Quick { get; init; }

    /// <summary>Shipped defaults when null; overrides for exploration.</summary>
    public int? HeartbeatMs { get; init; }

    public int? FailureMs { get; init; }

    /// <summary>Extra <c>--Key=value</c> arguments for every daemon (exploration, e.g. debug logging).</summary>
    public IReadOnlyList<string> DaemonArguments { get; init; } = [];

    /// <summary>Concurrent HTTP clients of the closed loops (lag at max rate, write path).</summary>
    public int Clients { get; init; } = 64;

    // lag
    public IReadOnlyList<int> LagRates { get; init; } = [100, 1_000];

    public double LagSeconds { get; init; } = 20;

    public double PollMs { get; init; } = 1;

    // catchup
    public int CatchupDocs { get; init; } = 1_000_000;

    public int CatchupOplogMB { get; init; } = 4096;

    /// <summary>Documents of the raw baselines (0: as many as the measured run moved).</summary>
    public int BaselineDocs { get; init; }

    public int PostBatch { get; init; } = 1_000;

    public int PostParallel { get; init; } = 2;

    // writepath
    public double WritePathSeconds { get; init; } = 15;

    public double WarmupSeconds { get; init; } = 3;

    public int WritePathBaselineDocs { get; init; } = 200_000;

    // failover
    public int FailoverRounds { get; init; } = 20;

    public double FailoverRate { get; init; } = 200;

    // resync
    public int ResyncDocs { get; init; } = 1_000_000;

    public int ResyncOplogMB { get; init; } = 16;

    /// <summary>The sizes <c>--quick</c> starts from (each can still be set explicitly).</summary>
    public static BenchSettings QuickDefaults(string workRoot) => new()
    {
        WorkRoot = workRoot,
        Quick = true,
        LagSeconds = 5,
        CatchupDocs = 20_000,
        CatchupOplogMB = 256,
        WritePathSeconds = 5,
        WarmupSeconds = 1,
        WritePathBaselineDocs = 20_000,
        FailoverRounds = 3,
        ResyncDocs = 30_000,
    };
}
