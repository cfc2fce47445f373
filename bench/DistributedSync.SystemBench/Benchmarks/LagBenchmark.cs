using DistributedSync.SystemBench.Cluster;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using static DistributedSync.SystemBench.Reporting.BenchReport;

namespace DistributedSync.SystemBench.Benchmarks;

/// <summary>
/// Replication lag: w=1 single-document POSTs at fixed open-loop rates and then from a closed loop
/// of N clients (the maximum sustainable rate); for each acknowledged write, the time from its
/// acknowledgement to its visibility on each slave (see <see cref="VisibilityWatcher"/>).
/// </summary>
internal static class LagBenchmark
{
    private const double GoalP99Ms = 20;
    private const int GoalRate = 1_000;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var report = new BenchReport("lag", "Replication lag: w=1 acknowledgement to visibility on each slave",
            "load", "writes/s", "acked", "failed", "slave", "p50 ms", "p99 ms", "max ms", "negative", "unseen", "write p50 / p99 ms", "send delay p99 ms");
        await using var cluster = await BenchCluster.StartAsync(settings.ClusterFor("lag"), ct).ConfigureAwait(false);
        var status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);

        // Warm-up: JIT, connection pools, the SQLite caches of all three nodes.
        await LoadGenerators.ClosedLoopAsync(1, 2_000, 16, TimeSpan.FromSeconds(settings.Quick ? 1 : 3), async seq =>
            await cluster.Writer.PostAsync("lag_warmup", BenchDocuments.Json(seq), "1", ct).ConfigureAwait(false), ct).ConfigureAwait(false);

        double? p99AtGoal = null;
        var phases = settings.LagRates.Select(r => (Label: N(r) + "/s open loop", Rate: (double?)r))
            .Append((Label: N(settings.Clients) + " clients closed loop", Rate: null)).ToList();
        string maxSummary = "";
        foreach (var (label, rate) in phases)
        {
            status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
            var collection = "lag_" + (rate is { } r ? ((int)r).ToString(System.Globalization.CultureInfo.InvariantCulture) : "max");
            var capacity = rate is { } planned ? (int)Math.Ceiling(planned * settings.LagSeconds) : (int)Math.Min(4_000_000, settings.LagSeconds * 40_000);
            var log = new WriteLog(capacity);
            var clients = status.SlaveIds.Select(id => (Id: id, Client: cluster.Direct(id))).ToList();
            var watchers = clients.Select(c => new VisibilityWatcher(c.Id, c.Client, "app", collection, log, settings.PollMs)).ToList();
            Console.Error.WriteLine($"  {label}: {settings.LagSeconds} s into {collection}, watching slaves {string.Join(", ", status.SlaveIds)}");
            async Task Send(int seq)
            {
                log.Sending(seq);
                log.Record(seq, await cluster.Writer.PostAsync(collection, BenchDocuments.Json(seq), "1", ct).ConfigureAwait(false));
            }

            var load = rate is { } open
                ? await LoadGenerators.OpenLoopAsync(1, capacity, open, 512, Send, ct).ConfigureAwait(false)
                : await LoadGenerators.ClosedLoopAsync(1, capacity, settings.Clients, TimeSpan.FromSeconds(settings.LagSeconds), Send, ct).ConfigureAwait(false);
            var drained = await Task.WhenAll(watchers.Select(w => w.DrainAsync(TimeSpan.FromSeconds(120)))).ConfigureAwait(false);
            if (drained.Any(d => !d))
            {
                report.AddNote($"{label}: a watcher stopped after 120 s without seeing every acknowledged write (counted as unseen).");
            }

            var acked = log.AcknowledgedSeqs().ToList();
            var writeLatency = new Percentiles(acked.Select(s => Percentiles.Between(log.SentAt(s), log.AckAt(s))));
            var achieved = acked.Count / load.Seconds;
            var pooled = new List<double>();
            var perSlave = new List<(int Id, LagFigures Figures)>();
            foreach (var watcher in watchers)
            {
                var figures = LagFigures.Compute(acked, log, watcher);
                perSlave.Add((watcher.NodeId, figures));
                pooled.AddRange(figures.Lags);
            }

            var all = new Percentiles(pooled);
            var writeCell = Ms(writeLatency.P50) + " / " + Ms(writeLatency.P99);
            var delayCell = rate is null ? "-" : Ms(load.SendDelayMs.P99);
            report.AddRow(label, N(achieved), N(acked.Count), N(log.Count(WriteLog.Failed)), "both", Ms(all.P50), Ms(all.P99), Ms(all.Max),
                N(perSlave.Sum(p => p.Figures.Negative)), N(perSlave.Sum(p => p.Figures.Unseen)), writeCell, delayCell);
            foreach (var (id, figures) in perSlave)
            {
                var slaveLags = new Percentiles(figures.Lags);
                report.AddRow("", "", "", "", "node " + id, Ms(slaveLags.P50), Ms(slaveLags.P99), Ms(slaveLags.Max), N(figures.Negative), N(figures.Unseen), "", "");
            }

            if (rate == GoalRate)
            {
                p99AtGoal = all.P99;
            }

            if (rate is null)
            {
                maxSummary = $"closed loop of {settings.Clients} clients: {N(achieved)} writes/s, lag p99 {Ms(all.P99)} ms";
            }

            foreach (var watcher in watchers)
            {
                report.AddNote($"{label}: watcher on node {watcher.NodeId} made {N(watcher.Polls)} polls.");
                await watcher.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var (_, client) in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        report.AddNote("Lag = the Stopwatch time at which the watcher's lookup that first found the document answered, minus the time the write's 201 arrived; negatives (visible before the answer arrived) count as 0 and are counted. Writes: single 1 KB documents, w=1; watchers: our client straight to each slave's node, looking up the lowest unseen sequence number by exact _id, with a " + Ms(settings.PollMs) + " ms pause when it is not there yet.");
        report.Summary = p99AtGoal is { } p
            ? $"p99 lag at 1,000 writes/s: {Ms(p)} ms (goal <= {GoalP99Ms} ms: {Verdict(p <= GoalP99Ms)}); {maxSummary}"
            : $"1,000 writes/s not measured; {maxSummary}";
        return report;
    }

    private static string Ms(double ms) => Percentiles.Ms(ms);

    /// <summary>The lags of one slave, the negatives clamped to 0, and the acknowledged writes it never showed.</summary>
    private sealed record LagFigures(List<double> Lags, int Negative, int Unseen)
    {
        public static LagFigures Compute(IReadOnlyList<int> acked, WriteLog log, VisibilityWatcher watcher)
        {
            var lags = new List<double>(acked.Count);
            int negative = 0, unseen = 0;
            foreach (var seq in acked)
            {
                var visible = watcher.VisibleAt(seq);
                if (visible == 0)
                {
                    unseen++;
                    continue;
                }

                var lag = Percentiles.Between(log.AckAt(seq), visible);
                if (lag < 0)
                {
                    negative++;
                    lag = 0;
                }

                lags.Add(lag);
            }

            return new LagFigures(lags, negative, unseen);
        }
    }
}
