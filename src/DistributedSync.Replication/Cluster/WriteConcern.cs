namespace DistributedSync.Replication.Cluster;

/// <summary>
/// How a write is acknowledged: w=1 once the master has it in its oplog and data, w=majority once
/// it is applied on a majority (see <see cref="ClusterDecider"/> for the commit point). The
/// timeout counts from the moment the write request reaches the decider and covers the whole
/// wait, including waiting for a master.
/// </summary>
/// <param name="Majority">True for w=majority, false for w=1.</param>
/// <param name="Timeout">wtimeout.</param>
public readonly record struct WriteConcern(bool Majority, TimeSpan Timeout)
{
    /// <summary>w=1 with a timeout.</summary>
    public static WriteConcern Master(TimeSpan timeout) => new(false, timeout);

    /// <summary>w=majority with a timeout.</summary>
    public static WriteConcern MajorityOf(TimeSpan timeout) => new(true, timeout);
}

/// <summary>Why a write failed.</summary>
public enum WriteFailureReason
{
    /// <summary>There is no master (no majority reachable, or none could be elected in time). Never applied.</summary>
    NoMaster,

    /// <summary>wtimeout expired. When the write had already been sent to the master it may still be applied.</summary>
    WriteConcernTimeout,

    /// <summary>The master stepped down or its write path failed after the write was sent to it; it may still be applied.</summary>
    Interrupted,

    /// <summary>
    /// The master was deposed while the write was in its batch: the batch found the master's node
    /// storing a newer term (read again after the append), or a newer term was seen anywhere.
    /// Nothing of the batch is acknowledged; entries appended before the newer term was stored may
    /// or may not survive, like after a write concern error.
    /// </summary>
    Deposed,
}
