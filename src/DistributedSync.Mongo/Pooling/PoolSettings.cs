namespace DistributedSync.Mongo.Pooling;

/// <summary>The limits of one server's connection pool (the CMAP options).</summary>
internal sealed record PoolSettings
{
    /// <summary>The most connections, in use or idle (0 means no limit). Default 100.</summary>
    public int MaxPoolSize { get; init; } = 100;

    /// <summary>The connections the pool keeps open in the background. Default 0.</summary>
    public int MinPoolSize { get; init; }

    /// <summary>Idle connections older than this are closed; null or zero for no limit.</summary>
    public TimeSpan? MaxIdleTime { get; init; }

    /// <summary>How long a checkout waits for a free connection (infinite or zero for no limit). Default 120 s.</summary>
    public TimeSpan WaitQueueTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The overall bound on finding a usable connection; a checkout waits at most the smaller of the two. Default 30 s.</summary>
    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background task prunes idle connections and refills to the minimum.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for idle times, waits and the maintenance timer.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
