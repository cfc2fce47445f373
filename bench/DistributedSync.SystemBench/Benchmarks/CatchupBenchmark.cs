using System.Diagnostics;
using DistributedSync.SystemBench.Cluster;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using static DistributedSync.SystemBench.Reporting.BenchReport;

namespace DistributedSync.SystemBench.Benchmarks;

/// <summary>
/// Replication throughput: kill -9 a slave's node, write a backlog of N documents through the
/// daemon (array POSTs, w=1; the oplog is large enough to keep it all), restart the node and time
/// until it has applied the backlog. Baseline: insertMany of the same documents, 1,000 a call,
/// into a scratch collection of the same node.
/// </summary>
internal static class CatchupBenchmark
{
    private const double Goal = 0.8;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var report = new BenchReport("catchup", "Replication throughput: a slave catching up a backlog",
            "measure", "documents", "seconds", "docs/s", "note");
        await using var cluster = await BenchCluster.StartAsync(settings.ClusterFor("catchup", settings.CatchupOplogMB), ct).ConfigureAwait(false);
        var status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);
        var slave = status.SlaveIds.Min();

        // A little traffic first, so that every node has an oplog and the slave a position.
        await BacklogWriter.WriteAsync(cluster.Writer, "catchup_warmup", 1, 2_000, settings.PostBatch, 1, ct).ConfigureAwait(false);
        status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
        var appliedBefore = status.Node(slave).AppliedIndex;

        cluster.Node(slave).Kill();
        await cluster.WaitAsync(s => s.Node(slave).Role == "down", TimeSpan.FromSeconds(60), $"node {slave} down", ct).ConfigureAwait(false);
        Console.Error.WriteLine($"  node {slave} killed; writing a backlog of {settings.CatchupDocs:N0} documents");
        var masterId = status.MasterId!.Value;
        var masterBefore = (await NodeCounters.ReadAllAsync(cluster, [masterId], ct).ConfigureAwait(false))[masterId];
        var backlog = await BacklogWriter.WriteAsync(cluster.Writer, "catchup", 1, settings.CatchupDocs, settings.PostBatch, settings.PostParallel, ct).ConfigureAwait(false);
        var lastIndex = backlog.LastIndex;
        var entries = lastIndex - appliedBefore;
        var masterAfter = (await NodeCounters.ReadAllAsync(cluster, [masterId], ct).ConfigureAwait(false))[masterId];
        report.AddNote($"Master (node {masterId}) while the backlog was written: {(masterAfter - masterBefore).PerDocument(settings.CatchupDocs)}.");
        report.AddRow("backlog written through the daemon (array POSTs, w=1)", N(settings.CatchupDocs), F(backlog.Seconds, 1), N(backlog.Rate),
            $"{N(settings.PostBatch)} per POST, {settings.PostParallel} in flight; slave behind by {N(entries)} entries");

        var afterBacklog = await cluster.WaitAsync(s => s.MasterId is not null, TimeSpan.FromSeconds(120), "a master", ct).ConfigureAwait(false);
        report.AddNote($"While the backlog was written: term {status.Term} -> {afterBacklog.Term}, master {status.MasterId} -> {afterBacklog.MasterId}, {backlog.Retries} POST(s) answered 503 or not at all and sent again, {backlog.DuplicateBatches} retried POST(s) refused as already applied.");
        var restartAt = Stopwatch.GetTimestamp();
        await cluster.Node(slave).RestartAsync(kill: false, samePort: true, ct).ConfigureAwait(false);
        var upAt = Stopwatch.GetTimestamp();
        long? firstProgressAt = null;
        var done = await cluster.WaitAsync(s =>
        {
            var node = s.Node(slave);
            if (firstProgressAt is null && node.Alive && node.AppliedIndex > appliedBefore)
            {
                firstProgressAt = s.At;
            }

            return node.Alive && node.Role == "slave" && node.AppliedIndex >= lastIndex && node.LagOps == 0;
        }, TimeSpan.FromMinutes(180), $"node {slave} caught up to {lastIndex}", ct).ConfigureAwait(false);
        var catchupSeconds = Percentiles.Between(restartAt, done.At) / 1000;
        var fromProgress = firstProgressAt is { } fp ? Percentiles.Between(fp, done.At) / 1000 : double.NaN;
        var rate = entries / catchupSeconds;
        report.AddRow("catch-up: restart of the node -> lagOps 0", N(entries), F(catchupSeconds, 1), N(rate),
            $"node accepting connections after {F(Percentiles.Between(restartAt, upAt) / 1000, 2)} s; first progress after {F(firstProgressAt is { } f ? Percentiles.Between(restartAt, f) / 1000 : double.NaN, 2)} s");
        report.AddRow("catch-up: first progress -> lagOps 0", N(entries), F(fromProgress, 1), N(entries / fromProgress), "excludes failure detection and task start");

        var slaveCounters = (await NodeCounters.ReadAllAsync(cluster, [slave], ct).ConfigureAwait(false))[slave];
        report.AddNote($"Slave (node {slave}) from its restart to the end of the catch-up: {slaveCounters.PerDocument(entries)}.");
        var baselineDocs = settings.BaselineDocs > 0 ? settings.BaselineDocs : (int)entries;
        await using (var direct = cluster.Direct(slave))
        {
            var baseline = await DirectBaselines.InsertManyAsync(direct, baselineDocs, 1_000, ct).ConfigureAwait(false);
            report.AddRow("baseline: insertMany of 1,000 into the same node (our client)", N(baseline.Documents), F(baseline.Seconds, 1), N(baseline.Rate),
                "scratch database, after the catch-up");
            var ratio = rate / baseline.Rate;
            report.Summary = $"catch-up {N(rate)} docs/s / raw {N(baseline.Rate)} docs/s = {F(ratio)} (goal >= {Goal}: {Verdict(ratio >= Goal)}); backlog {N(entries)} entries of 1 KB";
        }

        report.AddNote($"The slave (node {slave}) was killed with SIGKILL and restarted on its data; /status polled every 100 ms. OplogSizeMB={settings.CatchupOplogMB}.");
        return report;
    }
}
