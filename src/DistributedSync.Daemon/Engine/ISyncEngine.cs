using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Engine;

/// <summary>
/// What the HTTP API needs from the replication engine. The API validates every request before
/// calling it: collection names, ids, documents, filters and update documents arrive well formed.
/// Failures the client should see are raised as <see cref="SyncEngineException"/>; anything else
/// becomes a 500 response.
/// </summary>
public interface ISyncEngine
{
    /// <summary>
    /// Applies <paramref name="operations"/> in order through the master's oplog and waits for
    /// <paramref name="writeConcern"/>: <c>w:1</c> once the master has applied them, <c>w:"majority"</c>
    /// once a majority of the nodes has, for at most <see cref="WriteConcern.WTimeout"/> (null or
    /// zero: no limit). Stops at the first refused operation; the ones before it stay applied (and
    /// are acknowledged as the write concern asks) and the exception's
    /// <see cref="SyncEngineException.AppliedOperations"/> says how many they are.
    /// </summary>
    /// <param name="operations">At least one operation, each checked by the API.</param>
    /// <param name="writeConcern"><c>W = 1</c> or <c>WMode = "majority"</c>, with <c>WTimeout</c> (default 10 s).</param>
    /// <param name="cancellationToken">Signalled when the HTTP client goes away; an engine may ignore it once the writes are in the oplog.</param>
    /// <returns>The counts and the oplog position of the last entry written.</returns>
    /// <exception cref="SyncEngineException">
    /// <see cref="SyncErrorKind.NoMaster"/>, <see cref="SyncErrorKind.DuplicateKey"/>,
    /// <see cref="SyncErrorKind.WriteConcernFailed"/> (the writes are applied on the master but not
    /// acknowledged by enough nodes in time) or <see cref="SyncErrorKind.BadValue"/>.
    /// </exception>
    Task<WriteOutcome> WriteAsync(IReadOnlyList<WriteOperation> operations, WriteConcern writeConcern, CancellationToken cancellationToken);

    /// <summary>
    /// Reads from a node chosen by <paramref name="readPreference"/> among the live ones;
    /// secondaries further behind the master than <paramref name="maxStaleness"/> (when given) are
    /// not eligible.
    /// </summary>
    /// <exception cref="SyncEngineException">
    /// <see cref="SyncErrorKind.NoMaster"/> (primary required, none elected) or
    /// <see cref="SyncErrorKind.NoEligibleNode"/>.
    /// </exception>
    Task<ReadOutcome> ReadAsync(ReadQuery query, ReadPreferenceMode readPreference, TimeSpan? maxStaleness, CancellationToken cancellationToken);

    /// <summary>A snapshot of the cluster as this daemon sees it; cheap and never blocking.</summary>
    ClusterStatus GetStatus();
}
