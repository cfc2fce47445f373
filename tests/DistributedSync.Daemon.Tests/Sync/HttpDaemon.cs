using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Hosting;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>
/// The daemon's web host with the real engine registered as Program.cs does, over three nodes
/// (emulator processes, or the real servers of <see cref="NodeServers"/>), with an HTTP client
/// and direct clients (index = node id - 1).
/// </summary>
internal sealed class HttpDaemon : IAsyncDisposable
{
    private readonly NodeServers _servers;
    private readonly WebApplication _app;

    private HttpDaemon(NodeServers servers, WebApplication app, HttpClient http)
    {
        _servers = servers;
        _app = app;
        Http = http;
        Clients = servers.Servers.Select(n => new MongoClient(n.ConnectionString)).ToList();
    }

    public HttpClient Http { get; }

    public IReadOnlyList<MongoClient> Clients { get; }

    public ISyncEngine Engine => _app.Services.GetRequiredService<ISyncEngine>();

    public static async Task<HttpDaemon> StartAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var servers = await NodeServers.StartAsync(3, [EngineCluster.Database, "distsync"], ct);
        var settings = new Dictionary<string, string?>
        {
            ["DistributedSync:Database"] = EngineCluster.Database,
            ["DistributedSync:Embedded:Enabled"] = "false",
            ["DistributedSync:Http:Urls"] = "http://127.0.0.1:0",
            ["DistributedSync:Election:HeartbeatIntervalMs"] = "100",
            ["DistributedSync:Election:FailureTimeoutMs"] = "1000",
            ["DistributedSync:Replication:OplogSizeMB"] = "16",
        };
        for (var i = 0; i < 3; i++)
        {
            settings[$"DistributedSync:Nodes:{i}:Id"] = (i + 1).ToString(CultureInfo.InvariantCulture);
            settings[$"DistributedSync:Nodes:{i}:Name"] = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
            settings[$"DistributedSync:Nodes:{i}:Uri"] = servers.Servers[i].ConnectionString;
        }

        var app = DaemonApplication.Build([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSyncEngine();
        });
        try
        {
            await app.StartAsync(ct);
            var http = new HttpClient { BaseAddress = new Uri(DaemonApplication.ListeningAddresses(app).Single()) };
            return new HttpDaemon(servers, app, http);
        }
        catch
        {
            await app.DisposeAsync();
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every document of a node's collection, sorted by _id.</summary>
    public async Task<List<BsonDocument>> ReadAllAsync(int nodeId, string collection)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cursor = await Clients[nodeId - 1].GetDatabase(EngineCluster.Database).GetCollection(collection)
            .FindAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("_id", 1) }, ct);
        return await cursor.ToListAsync(ct);
    }

    /// <summary>The slaves' application databases equal the master's, by dbHash (see <see cref="EngineCluster"/>).</summary>
    public Task AssertSlavesMatchMasterAsync() => EngineCluster.AssertSlavesMatchMasterAsync(Engine.GetStatus, Clients);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        foreach (var client in Clients)
        {
            await client.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }
}
