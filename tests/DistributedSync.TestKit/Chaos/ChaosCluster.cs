using DistributedSync.Mongo;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Processes;

namespace DistributedSync.TestKit.Chaos;

/// <summary>
/// Three emulator nodes, a <see cref="FaultProxy"/> in front of each (the daemon only ever talks
/// to the proxies) and the daemon in its own process. Checks read the nodes directly, past the
/// proxies. Node i (0-based) has daemon id i + 1.
/// </summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    private readonly List<MongoClient> _direct;

    private ChaosCluster(IReadOnlyList<EmulatorProcess> nodes, IReadOnlyList<FaultProxy> proxies, DaemonProcess daemon, string workDirectory)
    {
        Nodes = nodes;
        Proxies = proxies;
        Daemon = daemon;
        WorkDirectory = workDirectory;
        _direct = nodes.Select(n => new MongoClient(DirectUri(n))).ToList();
    }

    /// <summary>The node processes, index = daemon id - 1.</summary>
    public IReadOnlyList<EmulatorProcess> Nodes { get; }

    /// <summary>The proxy in front of each node.</summary>
    public IReadOnlyList<FaultProxy> Proxies { get; }

    /// <summary>The daemon process.</summary>
    public DaemonProcess Daemon { get; }

    /// <summary>Where the nodes' data and the daemon's logs live.</summary>
    public string WorkDirectory { get; }

    /// <summary>The application database the daemon writes to.</summary>
    public string Database => "app";

    /// <summary>The daemon's metadata database.</summary>
    public string MetadataDatabase => "distsync";

    /// <summary>Starts the nodes, the proxies and the daemon (with fast failure detection unless told otherwise).</summary>
    public static async Task<ChaosCluster> StartAsync(string workDirectory, int heartbeatIntervalMs = 100, int failureTimeoutMs = 1_000, IReadOnlyList<string>? daemonArguments = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(workDirectory);
        var nodes = new List<EmulatorProcess>();
        var proxies = new List<FaultProxy>();
        try
        {
            var started = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => EmulatorProcess.StartAsync(
                new EmulatorProcessOptions { DbPath = Path.Combine(workDirectory, "node" + i) }, cancellationToken))).ConfigureAwait(false);
            nodes.AddRange(started);
            for (var i = 0; i < nodes.Count; i++)
            {
                proxies.Add(FaultProxy.Start(nodes[i].Port, seed: i + 1));
            }

            var daemon = await DaemonProcess.StartAsync(new DaemonProcessOptions
            {
                NodeUris = proxies.Select(p => $"mongodb://127.0.0.1:{p.Port}/?connectTimeoutMS=1000&serverSelectionTimeoutMS=2000").ToList(),
                WorkDirectory = Path.Combine(workDirectory, "daemon"),
                HeartbeatIntervalMs = heartbeatIntervalMs,
                FailureTimeoutMs = failureTimeoutMs,
                ExtraArguments = daemonArguments ?? [],
            }, cancellationToken).ConfigureAwait(false);
            return new ChaosCluster(nodes, proxies, daemon, workDirectory);
        }
        catch
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>A client straight to node <paramref name="index"/> (no proxy).</summary>
    public MongoClient Direct(int index) => _direct[index];

    /// <summary>
    /// Undoes every fault: proxies pass traffic, paused nodes resume, dead nodes restart on their
    /// data and port, a dead daemon restarts.
    /// </summary>
    public async Task HealAsync(CancellationToken cancellationToken = default)
    {
        foreach (var proxy in Proxies)
        {
            proxy.Heal();
        }

        for (var i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            if (node.HasExited)
            {
                await node.RestartAsync(kill: false, samePort: true, cancellationToken).ConfigureAwait(false);
                Proxies[i].UpstreamPort = node.Port;
            }
            else
            {
                // SIGCONT is harmless for a running process.
                await node.ResumeAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (Daemon.HasExited)
        {
            await Daemon.RestartAsync(kill: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync().ConfigureAwait(false);
        foreach (var client in _direct)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var proxy in Proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string DirectUri(EmulatorProcess node)
        => $"mongodb://127.0.0.1:{node.Port}/?connectTimeoutMS=2000&serverSelectionTimeoutMS=5000";
}
