using DistributedSync.Daemon.Configuration;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Engine;

/// <summary>
/// The placeholder engine registered until the replication engine is wired in (see
/// <c>Program.cs</c>): <c>/status</c> lists the configured nodes as down, and every read or write
/// fails with 503 "no master".
/// </summary>
public sealed class UnavailableSyncEngine : ISyncEngine
{
    private const string Message = "No replication engine is running in this daemon, so there is no master.";
    private readonly ClusterStatus _status;

    /// <summary>Creates the placeholder for the configured nodes.</summary>
    public UnavailableSyncEngine(IOptions<DistributedSyncOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var nodes = options.Value.Nodes
            .Select(n => new ClusterNodeStatus(n.Id, n.Name, MongoConnectionString.Parse(n.Uri), Alive: false, NodeRole.Down, Term: 0, OplogPosition.Zero, LagOps: 0, State: "noEngine"))
            .ToList();
        _status = new ClusterStatus(0, null, nodes);
    }

    /// <inheritdoc />
    public Task<WriteOutcome> WriteAsync(IReadOnlyList<WriteOperation> operations, WriteConcern writeConcern, CancellationToken cancellationToken)
        => Task.FromException<WriteOutcome>(new SyncEngineException(SyncErrorKind.NoMaster, Message, TimeSpan.FromSeconds(5)));

    /// <inheritdoc />
    public Task<ReadOutcome> ReadAsync(ReadQuery query, ReadPreferenceMode readPreference, TimeSpan? maxStaleness, CancellationToken cancellationToken)
        => Task.FromException<ReadOutcome>(new SyncEngineException(SyncErrorKind.NoMaster, Message, TimeSpan.FromSeconds(5)));

    /// <inheritdoc />
    public ClusterStatus GetStatus() => _status;
}
