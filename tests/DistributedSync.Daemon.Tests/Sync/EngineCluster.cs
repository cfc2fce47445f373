using DistributedSync.Bson;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.Replication.Metadata;
using DistributedSync.TestKit.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// Three nodes (ids 1, 2, 3) driven by a real <see cref="SyncEngine"/>, plus direct clients for
/// checks. The nodes are emulator processes, or the real mongod servers named by
/// <c>DISTSYNC_TEST_MONGODB_URIS</c> (see <see cref="NodeServers"/>: their <c>app</c> and
/// <c>distsync</c> databases are dropped first; tests that kill or pause a node call
/// <see cref="RequireProcessControl"/> and are skipped there).
/// </summary>
internal sealed partial class EngineCluster : IAsyncDisposable
{
    public const string Database = "app";
    private readonly ILoggerFactory _loggerFactory;
    private readonly NodeServers _servers;
    private readonly DistributedSyncOptions _options;

    private EngineCluster(NodeServers servers, SyncEngine engine, DistributedSyncOptions options, ILoggerFactory loggerFactory, CapturingLoggerProvider logs)
    {
        _servers = servers;
        Engine = engine;
        _options = options;
        _loggerFactory = loggerFactory;
        Logs = logs;
        Clients = servers.Servers.Select(n => new MongoClient(n.ConnectionString)).ToList();
    }

    /// <summary>The emulator processes, index = node id - 1 (only after <see cref="RequireProcessControl"/>).</summary>
    public IReadOnlyList<EmulatorProcess> Nodes => [.. Enumerable.Range(0, 3).Select(_servers.Process)];

    /// <summary>Direct clients, index = node id - 1.</summary>
    public IReadOnlyList<MongoClient> Clients { get; }

    public SyncEngine Engine { get; private set; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Skips the test when the nodes are real servers, which it cannot <paramref name="what"/>.</summary>
    public static void RequireProcessControl(string what = "kill or pause") => NodeServers.RequireProcessControl(what);

    /// <summary>
    /// Starts (or cleans) three nodes, lets <paramref name="seed"/> write to them directly (clients by
    /// node id - 1), then starts the engine with the test settings changed by <paramref name="configure"/>.
    /// </summary>
    public static async Task<EngineCluster> StartAsync(Func<IReadOnlyList<MongoClient>, Task>? seed = null, Action<DistributedSyncOptions>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new DistributedSyncOptions { Database = Database };
        var servers = await NodeServers.StartAsync(3, [options.Database, options.MetadataDatabase], ct);
        try
        {
            if (seed is not null)
            {
                var seedClients = servers.Servers.Select(n => new MongoClient(n.ConnectionString)).ToList();
                await seed(seedClients);
                foreach (var client in seedClients)
                {
                    await client.DisposeAsync();
                }
            }

            for (var i = 0; i < 3; i++)
            {
                options.Nodes.Add(new NodeOptions { Id = i + 1, Name = "node" + (i + 1), Uri = servers.Servers[i].ConnectionString });
            }

            options.Election.HeartbeatIntervalMs = 100;
            options.Election.FailureTimeoutMs = 1_000;
            options.Replication.OplogSizeMB = 16;
            configure?.Invoke(options);
            var logs = new CapturingLoggerProvider();
            var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
            var engine = new SyncEngine(Options.Create(options), factory.CreateLogger<SyncEngine>());
            await engine.StartAsync(ct);
            return new EngineCluster(servers, engine, options, factory, logs);
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the engine (as a daemon shutdown would); the nodes keep running.</summary>
    public async Task StopEngineAsync()
    {
        await Engine.StopAsync(CancellationToken.None);
        Engine.Dispose();
    }

    /// <summary>Starts a fresh engine (a restarted daemon) on the same nodes; <paramref name="prepare"/> sees it before it starts (test hooks).</summary>
    public async Task StartEngineAsync(Action<SyncEngine>? prepare = null)
    {
        Engine = new SyncEngine(Options.Create(_options), _loggerFactory.CreateLogger<SyncEngine>());
        prepare?.Invoke(Engine);
        await Engine.StartAsync(TestContext.Current.CancellationToken);
    }

    public MongoCollection Collection(int nodeId, string name) => Clients[nodeId - 1].GetDatabase(Database).GetCollection(name);

    /// <summary>The daemon's metadata collection (term and replication documents) on a node.</summary>
    public MongoCollection Metadata(int nodeId) => Clients[nodeId - 1].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.MetadataCollection);

    /// <summary>The daemon's oplog on a node.</summary>
    public MongoCollection Oplog(int nodeId) => Clients[nodeId - 1].GetDatabase(MetadataNames.Database).GetCollection(MetadataNames.OplogCollection);

    /// <summary>Every document of a node's collection, sorted by _id.</summary>
    public async Task<List<BsonDocument>> ReadAllAsync(int nodeId, string collection)
    {
        await using var cursor = await Collection(nodeId, collection).FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1) }, TestContext.Current.CancellationToken);
        return await cursor.ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Polls until the node's collection equals <paramref name="expected"/> (sorted by _id) or the deadline passes.</summary>
    public async Task WaitForSameDocumentsAsync(int nodeId, string collection, IReadOnlyList<BsonDocument> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<BsonDocument> actual;
        while (true)
        {
            actual = await ReadAllAsync(nodeId, collection);
            if (actual.SequenceEqual(expected) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(expected.Select(d => d.ToString()), actual.Select(d => d.ToString()));
    }

    public async Task WaitForMasterAsync(Func<int, long, bool> condition, TimeSpan timeout)
        => await Wait.UntilAsync(() => Engine.GetStatus() is { MasterId: { } m } s && condition(m, s.Term), timeout, "a master matching the condition is serving");

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync(CancellationToken.None);
        Engine.Dispose();
        if (TestContext.Current.TestOutputHelper is { } output)
        {
            foreach (var entry in Logs.Entries)
            {
                output.WriteLine($"{entry.Level} {entry.EventId.Name}: {entry.Message}");
            }
        }

        foreach (var client in Clients)
        {
            await client.DisposeAsync();
        }

        await _servers.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
