using System.Collections.Concurrent;
using System.Threading.Channels;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Replication.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EngineWriteConcern = DistributedSync.Mongo.WriteConcern;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// The replication engine: a hosted service whose single driver loop owns the
/// <see cref="ClusterView"/>. Every observation (heartbeat answers, timer ticks, write requests,
/// outcomes of the commands) arrives as a <see cref="ClusterEvent"/> on one channel; the loop
/// decides it with the pure <see cref="ClusterDecider"/> and executes the returned commands
/// against the nodes (see <c>SyncEngine.Commands.cs</c>). The I/O runs on background tasks that
/// post their outcome back as events, so the view is only ever touched by the loop.
/// </summary>
public sealed partial class SyncEngine : BackgroundService, ISyncEngine
{
    private static readonly TimeSpan DefaultWTimeout = TimeSpan.FromSeconds(10);
    private readonly Channel<ClusterEvent> _events = Channel.CreateUnbounded<ClusterEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, WriteRequest> _requests = new();
    private readonly Dictionary<int, NodeStore> _nodes = [];
    private readonly DistributedSyncOptions _options;
    private readonly ClusterDecider _decider;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineStatusTracker _status;
    private readonly ResyncProgressBoard _resyncProgress = new();
    private long _nextRequestId;
    private volatile ClusterView _view;

    /// <summary>Creates the engine for the configured nodes (one <see cref="MongoClient"/> per node).</summary>
    public SyncEngine(IOptions<DistributedSyncOptions> options, ILogger<SyncEngine> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        var clusterOptions = new ClusterOptions
        {
            NodeIds = _options.Nodes.Select(n => n.Id).ToList(),
            HeartbeatInterval = TimeSpan.FromMilliseconds(_options.Election.HeartbeatIntervalMs),
            FailureTimeout = TimeSpan.FromMilliseconds(_options.Election.FailureTimeoutMs),
            TakeoverEnabled = _options.Election.TakeoverEnabled,
            MaxBatchSize = Math.Max(1, _options.Replication.BatchSize),
        };
        _decider = new ClusterDecider(clusterOptions, _time);
        _view = _decider.CreateInitialView();
        var oplogBytes = (long)_options.Replication.OplogSizeMB * 1024 * 1024;
        foreach (var node in _options.Nodes)
        {
            var client = new MongoClient(NodeConnectionString.WithDefaults(node.Uri));
            _nodes[node.Id] = new NodeStore(node.Id, node.Name, client, _options.Database, _options.MetadataDatabase, oplogBytes);
        }

        _status = new EngineStatusTracker(_options.Nodes, _time, _resyncProgress);
    }

    /// <summary>The current view (for tests and diagnostics).</summary>
    public ClusterView View => _view;

    /// <summary>
    /// Test hook: awaited with (node id, step name) before every guarded step of a rollback or
    /// resync (see <see cref="RepairAttempt"/>). Null in production.
    /// </summary>
    internal Func<int, string, CancellationToken, Task>? RepairStepHook { get; set; }

    /// <summary>
    /// Test hook: awaited with the master's id after a batch's entries are in the master's oplog and
    /// data, before the term is re-read (see <see cref="WriteBatchRunner"/>). Null in production.
    /// </summary>
    internal Func<int, CancellationToken, Task>? BatchAppendedHook { get; set; }

    /// <inheritdoc />
    public ClusterStatus GetStatus() => _status.Build(_view);

    /// <inheritdoc />
    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<WriteOperation> operations, EngineWriteConcern writeConcern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(writeConcern);
        if (operations.Count == 0)
        {
            throw new SyncEngineException(SyncErrorKind.BadValue, "No write operation was given.");
        }

        var timeout = writeConcern.WTimeout is { } t && t > TimeSpan.Zero ? t : (writeConcern.WTimeout is null ? DefaultWTimeout : TimeSpan.FromDays(1));
        var majority = string.Equals(writeConcern.WMode, "majority", StringComparison.Ordinal);
        var request = new WriteRequest(Interlocked.Increment(ref _nextRequestId), operations);
        _requests[request.Id] = request;
        Post(new WriteRequested(request.Id, new Replication.Cluster.WriteConcern(majority, timeout)));
        try
        {
            return await request.Completion.Task.ConfigureAwait(false);
        }
        finally
        {
            _requests.TryRemove(request.Id, out _);
        }
    }

    /// <inheritdoc />
    public Task<ReadOutcome> ReadAsync(ReadQuery query, ReadPreferenceMode readPreference, TimeSpan? maxStaleness, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var nodeId = ReadRouting.Choose(_view, _status, readPreference, maxStaleness);
        return ReadFromAsync(nodeId, query, cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var node in _nodes.Values)
        {
            node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var ticker = TickAsync(stoppingToken);
        try
        {
            await foreach (var clusterEvent in _events.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                Step(clusterEvent);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            StopAllTasks();
            foreach (var request in _requests.Values)
            {
                request.Fail(new SyncEngineException(SyncErrorKind.NoMaster, "The replication engine is stopping.", TimeSpan.FromSeconds(5)));
            }

            await ticker.ConfigureAwait(false);
        }
    }

    private void Post(ClusterEvent clusterEvent) => _events.Writer.TryWrite(clusterEvent);

    private async Task TickAsync(CancellationToken ct)
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(10, _options.Election.HeartbeatIntervalMs / 4));
        using var timer = new PeriodicTimer(period, _time);
        Post(Tick.Instance);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                Post(Tick.Instance);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<ReadOutcome> ReadFromAsync(int nodeId, ReadQuery query, CancellationToken ct)
    {
        var node = _nodes[nodeId];
        await using var cursor = await node.Data(query.Collection).FindAsync(query.Filter, new FindOptions { Limit = query.Limit }, ct).ConfigureAwait(false);
        var documents = await cursor.ToListAsync(ct).ConfigureAwait(false);
        return new ReadOutcome(documents, nodeId);
    }
}
