using DistributedSync.SystemBench.Cluster;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using static DistributedSync.SystemBench.Reporting.BenchReport;

namespace DistributedSync.SystemBench.Benchmarks;

/// <summary>
/// Write path: acknowledged single-document POSTs per second from a closed loop of N clients, for
/// w=1 and w=majority, divided by direct insertMany (1,000 documents a call) into the master's node.
/// </summary>
internal static class WritePathBenchmark
{
    private const double Goal = 0.7;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var report = new BenchReport("writepath", "Write path: acknowledged writes/s through the daemon vs direct batched inserts",
            "workload", "acked", "failed", "seconds", "docs/s", "p50 ms", "p99 ms", "max ms", "/ direct");
        await using var cluster = await BenchCluster.StartAsync(settings.ClusterFor("writepath"), ct).ConfigureAwait(false);
        var status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);
        var master = status.MasterId!.Value;

        var warmupLog = new WriteLog((int)Math.Max(1_000, settings.WarmupSeconds * 40_000));
        await LoadGenerators.ClosedLoopAsync(1, warmupLog.Capacity, settings.Clients, TimeSpan.FromSeconds(settings.WarmupSeconds), async seq =>
            warmupLog.Record(seq, await cluster.Writer.PostAsync("wp_warmup", BenchDocuments.Json(seq), "1", ct).ConfigureAwait(false)), ct).ConfigureAwait(false);

        var measured = new List<(string W, int Acked, int Failed, double Seconds, Percentiles Latency)>();
        foreach (var w in new[] { "1", "majority" })
        {
            await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(300), ct).ConfigureAwait(false);
            var log = new WriteLog((int)Math.Min(8_000_000, settings.WritePathSeconds * 40_000));
            var collection = "wp_w" + w;
            var countersBefore = await NodeCounters.ReadAllAsync(cluster, [1, 2, 3], ct).ConfigureAwait(false);
            Console.Error.WriteLine($"  w={w}: {settings.Clients} clients for {settings.WritePathSeconds} s into {collection}");
            var load = await LoadGenerators.ClosedLoopAsync(1, log.Capacity, settings.Clients, TimeSpan.FromSeconds(settings.WritePathSeconds), async seq =>
            {
                log.Sending(seq);
                log.Record(seq, await cluster.Writer.PostAsync(collection, BenchDocuments.Json(seq), w, ct).ConfigureAwait(false));
            }, ct).ConfigureAwait(false);
            var acked = log.AcknowledgedSeqs().ToList();
            var countersAfter = await NodeCounters.ReadAllAsync(cluster, [1, 2, 3], ct).ConfigureAwait(false);
            foreach (var id in countersAfter.Keys)
            {
                report.AddNote($"w={w}, node {id}{(id == master ? " (master)" : "")}: {(countersAfter[id] - countersBefore[id]).PerDocument(acked.Count)} per acknowledged write.");
            }

            measured.Add((w, acked.Count, log.Count(WriteLog.Failed), load.Seconds, new Percentiles(acked.Select(s => Percentiles.Between(log.SentAt(s), log.AckAt(s))))));
        }

        await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(300), ct).ConfigureAwait(false);
        BaselineResult baseline;
        await using (var direct = cluster.Direct(master))
        {
            baseline = await DirectBaselines.InsertManyAsync(direct, settings.WritePathBaselineDocs, 1_000, ct).ConfigureAwait(false);
        }

        foreach (var (w, acked, failed, seconds, latency) in measured)
        {
            report.AddRow($"POST 1 document, w={w}, {settings.Clients} clients", N(acked), N(failed), F(seconds, 1), N(acked / seconds),
                Percentiles.Ms(latency.P50), Percentiles.Ms(latency.P99), Percentiles.Ms(latency.Max), F(acked / seconds / baseline.Rate));
        }

        report.AddRow($"direct insertMany of 1,000 into the master's node (node {master})", N(baseline.Documents), "0", F(baseline.Seconds, 1), N(baseline.Rate), "", "", "", "1.00");
        var w1 = measured[0].Acked / measured[0].Seconds / baseline.Rate;
        var majority = measured[1].Acked / measured[1].Seconds / baseline.Rate;
        report.AddNote($"Warm-up: {settings.WarmupSeconds} s of the same load (not counted). Latency: from sending the POST to the whole 201 answer. The baseline runs after the HTTP loads, while the daemon idles, into a scratch database.");
        report.Summary = $"w=1 {N(measured[0].Acked / measured[0].Seconds)} writes/s = {F(w1)} of direct {N(baseline.Rate)} docs/s (goal >= {Goal}: {Verdict(w1 >= Goal)}); w=majority {F(majority)}";
        return report;
    }
}
