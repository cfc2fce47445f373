using System.Diagnostics;
using DistributedSync.SystemBench.Cluster;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using static DistributedSync.SystemBench.Reporting.BenchReport;

namespace DistributedSync.SystemBench.Benchmarks;

/// <summary>
/// Failover under a steady w=1 load: kill -9 the master's node, time until the first write
/// acknowledged with a higher term than the killed master's (a write on the new master); restart the
/// killed node and wait for a stable cluster before the next round.
/// </summary>
internal static class FailoverBenchmark
{
    private const double GoalP50Ms = 1_500;
    private const double GoalMaxMs = 3_000;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var report = new BenchReport("failover", "Failover: kill -9 of the master's node to the first acknowledged write on the new master",
            "round", "killed node (term)", "new master (term)", "elected in /status ms", "first write on new master ms", "failed writes");
        await using var cluster = await BenchCluster.StartAsync(settings.ClusterFor("failover"), ct).ConfigureAwait(false);
        await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);
        using var writer = new DaemonWriter(cluster.Daemon.Http.BaseAddress!, TimeSpan.FromSeconds(10));
        var probe = new FailoverProbe();
        var figures = new List<double>();
        await using (var load = new SteadyLoad(writer, "failover", settings.FailoverRate, probe.Observe))
        {
            for (var round = 1; round <= settings.FailoverRounds; round++)
            {
                var before = await WaitStableAsync(cluster, ct).ConfigureAwait(false);
                var master = before.MasterId!.Value;
                var failedBefore = load.Failed;
                var killAt = Stopwatch.GetTimestamp();
                probe.Arm(before.Term, killAt);
                cluster.Node(master).Kill();
                var elected = await cluster.WaitAsync(s => s.MasterId is { } m && m != master && s.Term > before.Term,
                    TimeSpan.FromSeconds(120), "a new master", ct, pollMs: 20).ConfigureAwait(false);
                var firstAck = await probe.WaitAsync(TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
                var ms = Percentiles.Between(killAt, firstAck.AckAt);
                figures.Add(ms);
                report.AddRow(round.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{master} ({before.Term})", $"{elected.MasterId} ({firstAck.Term})",
                    N(Percentiles.Between(killAt, elected.At)), N(ms), N(load.Failed - failedBefore));
                Console.Error.WriteLine($"  round {round}: killed node {master} (term {before.Term}); first write on the new master after {ms:N0} ms");
                await cluster.Node(master).RestartAsync(kill: false, samePort: true, ct).ConfigureAwait(false);
            }

            await WaitStableAsync(cluster, ct).ConfigureAwait(false);
            report.AddNote($"Load: {N(settings.FailoverRate)} single-document w=1 POSTs/s, open loop, 10 s client timeout; {N(load.Acknowledged)} acknowledged, {N(load.Failed)} failed, {N(load.Skipped)} skipped (2,048 in flight).");
        }

        var p = new Percentiles(figures);
        report.AddNote(settings.HeartbeatMs is null && settings.FailureMs is null
            ? "Election settings: the shipped defaults."
            : $"Election settings overridden: HeartbeatIntervalMs={settings.HeartbeatMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}, FailureTimeoutMs={settings.FailureMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}.");
        report.AddNote("Between rounds the killed node is restarted on its data and the benchmark waits until every node is up and in sync (and, with takeover, until the highest id is master again, or 15 s of stability).");
        report.Summary = $"{figures.Count} kills: p50 {N(p.P50)} ms (goal <= {N(GoalP50Ms)}: {Verdict(p.P50 <= GoalP50Ms)}), max {N(p.Max)} ms (goal <= {N(GoalMaxMs)}: {Verdict(p.Max <= GoalMaxMs)})";
        return report;
    }

    /// <summary>Every node up and in sync, and either the highest id is master (takeover done) or that has held for 15 s.</summary>
    private static async Task<StatusSnapshot> WaitStableAsync(BenchCluster cluster, CancellationToken ct)
    {
        var highest = cluster.Nodes.Count;
        var deadline = Stopwatch.StartNew();
        long? syncedSince = null;
        while (true)
        {
            var status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(300), ct).ConfigureAwait(false);
            syncedSince ??= status.At;
            if (status.MasterId == highest || Percentiles.Between(syncedSince.Value, status.At) > 15_000)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
                var again = await cluster.StatusAsync(ct).ConfigureAwait(false);
                if (again.AllInSync && again.Term == status.Term && again.MasterId == status.MasterId)
                {
                    return again;
                }

                syncedSince = null;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"The cluster did not settle within 10 minutes: {status}");
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Catches the first acknowledgement with a term above the killed master's, after the kill.</summary>
    private sealed class FailoverProbe
    {
        private readonly Lock _gate = new();
        private long _term = long.MaxValue;
        private long _killAt;
        private TaskCompletionSource<WriteAck>? _first;

        public void Arm(long term, long killAt)
        {
            lock (_gate)
            {
                _term = term;
                _killAt = killAt;
                _first = new TaskCompletionSource<WriteAck>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Observe(WriteAck ack)
        {
            lock (_gate)
            {
                if (_first is { } first && ack.Term > _term && ack.AckAt > _killAt)
                {
                    first.TrySetResult(ack);
                }
            }
        }

        public async Task<WriteAck> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            Task<WriteAck> task;
            lock (_gate)
            {
                task = _first!.Task;
            }

            return await task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
    }
}
