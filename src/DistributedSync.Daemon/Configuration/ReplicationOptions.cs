namespace DistributedSync.Daemon.Configuration;

/// <summary>The application-level oplog and replication batches (<c>DistributedSync:Replication</c>).</summary>
public sealed class ReplicationOptions
{
    /// <summary>The default of <see cref="OplogSizeMB"/>.</summary>
    public const int DefaultOplogSizeMB = 256;

    /// <summary>The default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>The largest accepted <see cref="BatchSize"/>.</summary>
    public const int MaxBatchSize = 100_000;

    /// <summary>
    /// The size of the capped oplog collection on each node, in MiB (<c>:OplogSizeMB</c>, default 256,
    /// 1 to 1048576). A slave that falls further behind than the oplog reaches is fully resynced.
    /// </summary>
    public int OplogSizeMB { get; set; } = DefaultOplogSizeMB;

    /// <summary>The most oplog entries pushed to a slave in one batch (<c>:BatchSize</c>, default 500, 1 to 100000).</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;
}
