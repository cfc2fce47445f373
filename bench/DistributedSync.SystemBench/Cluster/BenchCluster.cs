using System.Diagnostics;
using System.Globalization;
using DistributedSync.Mongo;
using DistributedSync.SystemBench.Workload;
using DistributedSync.TestKit.Processes;

namespace DistributedSync.SystemBench.Cluster;

/// <summary>How a benchmark's cluster is started.</summary>
internal sealed record ClusterOptions
{
    /// <summary>Where the per-benchmark work directory is created.</summary>
    public required string WorkRoot { get; init; }

    /// <summary>A short name for the work directory.</summary>
    public required string Name { get; init; }

    /// <summary><c>Replication:OplogSizeMB</c>; the shipped default when null.</summary>
    public int? OplogSizeMB { get; init; }

    /// <summary><c>Election:HeartbeatIntervalMs</c>; the shipped default when null.</summary>
    public int? HeartbeatIntervalMs { get; init; }

    /// <summary><c>Election:FailureTimeoutMs</c>; the shipped default when null.</summary>
    public int? FailureTimeoutMs { get; init; }

    /// <summary>More <c>--Key=value</c> configuration arguments for the daemon.</summary>
    public IReadOnlyList<string> DaemonArguments { get; init; } = [];

    /// <summary>Keep the work directory afterwards (for looking at logs).</summary>
    public bool KeepWork { get; init; }
}

/// <summary>
/// Three emulator nodes (Release build, <c>--quiet</c>) and the daemon in its own process, in a
/// fresh work directory that is deleted afterwards. Node id i is <c>Nodes[i - 1]</c>. The status
/// helpers poll <c>GET /status</c>.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly HttpClient _statusHttp;
    private readonly bool _keepWork;

    private BenchCluster(string workDirectory, IReadOnlyList<EmulatorProcess> nodes, DaemonProcess daemon, bool keepWork)
    {
        WorkDirectory = workDirectory;
        Nodes = nodes;
        Daemon = daemon;
        _keepWork = keepWork;
        _statusHttp = new HttpClient { BaseAddress = daemon.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        Writer = new DaemonWriter(daemon.Http.BaseAddress!);

        // The nodes kill themselves on exit (EmulatorProcess); the daemon has to be told.
        AppDomain.CurrentDomain.ProcessExit += KillDaemonOnExit;
    }

    public string WorkDirectory { get; }

    public IReadOnlyList<EmulatorProcess> Nodes { get; }

    public DaemonProcess Daemon { get; }

    /// <summary>The HTTP write client of the benchmark (one connection pool for all its writers).</summary>
    public DaemonWriter Writer { get; }

    public static async Task<BenchCluster> StartAsync(ClusterOptions options, CancellationToken ct)
    {
        var work = Path.Combine(options.WorkRoot, $"sysbench-{options.Name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(work);
        var nodes = new List<EmulatorProcess>();
        try
        {
            nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, 3).Select(i => EmulatorProcess.StartAsync(
                new EmulatorProcessOptions { DbPath = Path.Combine(work, "node" + i), ExtraArguments = ["--quiet"] }, ct))).ConfigureAwait(false));
            var extra = new List<string>();
            if (options.OplogSizeMB is { } oplog)
            {
                extra.Add("--DistributedSync:Replication:OplogSizeMB=" + oplog.ToString(CultureInfo.InvariantCulture));
            }

            extra.AddRange(options.DaemonArguments);
            var daemon = await DaemonProcess.StartAsync(new DaemonProcessOptions
            {
                NodeUris = nodes.Select(n => $"mongodb://127.0.0.1:{n.Port}/").ToList(),
                WorkDirectory = Path.Combine(work, "daemon"),
                HeartbeatIntervalMs = options.HeartbeatIntervalMs,
                FailureTimeoutMs = options.FailureTimeoutMs,
                ExtraArguments = extra,
            }, ct).ConfigureAwait(false);
            var cluster = new BenchCluster(work, nodes, daemon, options.KeepWork);
            Console.Error.WriteLine($"  cluster: nodes {string.Join(", ", nodes.Select((n, i) => $"{i + 1}=:{n.Port} pid {n.ProcessId}"))}; daemon pid {daemon.ProcessId} on :{daemon.HttpPort}; work {work}");
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            TryDelete(work, options.KeepWork);
            throw;
        }
    }

    public EmulatorProcess Node(int id) => Nodes[id - 1];

    /// <summary>A new client straight to node <paramref name="id"/> (the caller disposes it).</summary>
    public MongoClient Direct(int id, int maxPoolSize = 4)
        => new($"mongodb://127.0.0.1:{Node(id).Port}/?maxPoolSize={maxPoolSize.ToString(CultureInfo.InvariantCulture)}&connectTimeoutMS=2000");

    public async Task<StatusSnapshot> StatusAsync(CancellationToken ct)
    {
        var json = await _statusHttp.GetStringAsync(new Uri("/status", UriKind.Relative), ct).ConfigureAwait(false);
        return StatusSnapshot.Parse(json, Stopwatch.GetTimestamp());
    }

    /// <summary>Polls /status every <paramref name="pollMs"/> ms until <paramref name="done"/> holds; throws after <paramref name="timeout"/>.</summary>
    public async Task<StatusSnapshot> WaitAsync(Func<StatusSnapshot, bool> done, TimeSpan timeout, string what, CancellationToken ct, int pollMs = 100)
    {
        var clock = Stopwatch.StartNew();
        StatusSnapshot? last = null;
        while (true)
        {
            try
            {
                last = await StatusAsync(ct).ConfigureAwait(false);
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // The daemon is busy or restarting; try again.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // A /status request timed out; try again.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {what}; last status: {last}");
            }

            await Task.Delay(pollMs, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a master is elected and every other node is a slave with no lag.</summary>
    public Task<StatusSnapshot> WaitInSyncAsync(TimeSpan timeout, CancellationToken ct)
        => WaitAsync(s => s.AllInSync, timeout, "every node in sync", ct);

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillDaemonOnExit;
        Writer.Dispose();
        _statusHttp.Dispose();
        await Daemon.DisposeAsync().ConfigureAwait(false);
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        TryDelete(WorkDirectory, _keepWork);
    }

    private void KillDaemonOnExit(object? sender, EventArgs e) => Daemon.Kill();

    private static void TryDelete(string path, bool keep)
    {
        if (keep)
        {
            Console.Error.WriteLine($"  work directory kept: {path}");
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"  could not delete {path}: {e.Message}");
        }
    }
}
