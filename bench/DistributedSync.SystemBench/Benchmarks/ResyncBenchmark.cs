using System.Diagnostics;
using DistributedSync.SystemBench.Cluster;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using static DistributedSync.SystemBench.Reporting.BenchReport;

namespace DistributedSync.SystemBench.Benchmarks;

/// <summary>
/// Full resync: with a small oplog, kill -9 a slave's node, write N documents through the daemon so
/// the oplog wraps, restart the node and time the resync until it is a slave with no lag; sample the
/// daemon's RSS meanwhile. Baseline: our client copying the same collection between the same two
/// nodes (find in batches on the master, insertMany of 1,000 on the slave).
/// </summary>
internal static class ResyncBenchmark
{
    private const double GoalRatio = 0.7;
    private const double GoalRssMb = 200;

    public static async Task<BenchReport> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        var report = new BenchReport("resync", "Full resync of a slave",
            "measure", "documents", "seconds", "docs/s", "note");
        await using var cluster = await BenchCluster.StartAsync(settings.ClusterFor("resync", settings.ResyncOplogMB), ct).ConfigureAwait(false);
        var status = await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(90), ct).ConfigureAwait(false);
        var slave = status.SlaveIds.Min();
        var master = status.MasterId!.Value;
        var rssAtStart = RssSampler.ReadKb(cluster.Daemon.ProcessId, "VmRSS");
        await BacklogWriter.WriteAsync(cluster.Writer, "resync", 1, settings.PostBatch, settings.PostBatch, 1, ct).ConfigureAwait(false);
        await cluster.WaitInSyncAsync(TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);

        cluster.Node(slave).Kill();
        await cluster.WaitAsync(s => s.Node(slave).Role == "down", TimeSpan.FromSeconds(60), $"node {slave} down", ct).ConfigureAwait(false);
        Console.Error.WriteLine($"  node {slave} killed; writing {settings.ResyncDocs:N0} documents (OplogSizeMB={settings.ResyncOplogMB})");
        var backlog = await BacklogWriter.WriteAsync(cluster.Writer, "resync", settings.PostBatch + 1, settings.ResyncDocs, settings.PostBatch, settings.PostParallel, ct).ConfigureAwait(false);
        var lastIndex = backlog.LastIndex;
        var afterBacklog = await cluster.WaitAsync(s => s.MasterId is not null, TimeSpan.FromSeconds(120), "a master", ct).ConfigureAwait(false);
        report.AddNote($"While the backlog was written: term {status.Term} -> {afterBacklog.Term}, master {status.MasterId} -> {afterBacklog.MasterId}, {backlog.Retries} POST(s) answered 503 or not at all and sent again, {backlog.DuplicateBatches} retried POST(s) refused as already applied.");
        master = afterBacklog.MasterId!.Value;
        long total;
        await using (var counter = cluster.Direct(master))
        {
            // What the resync has to copy (POSTs retried after a failover may have been applied only in part).
            total = await counter.GetDatabase("app").GetCollection("resync").EstimatedDocumentCountAsync(null, ct).ConfigureAwait(false);
        }

        report.AddRow("written through the daemon while the slave was down (array POSTs, w=1)", N(settings.ResyncDocs), F(backlog.Seconds, 1), N(backlog.Rate),
            $"{N(settings.PostBatch)} per POST, {settings.PostParallel} in flight");

        var daemonPid = cluster.Daemon.ProcessId;
        var rssBefore = RssSampler.ReadKb(daemonPid, "VmRSS");
        var hwmReset = RssSampler.ResetHighWaterMark(daemonPid);
        var progress = new ResyncObservation();
        StatusSnapshot done;
        long restartAt;
        await using (var rss = new RssSampler(daemonPid))
        {
            restartAt = Stopwatch.GetTimestamp();
            await cluster.Node(slave).RestartAsync(kill: false, samePort: true, ct).ConfigureAwait(false);
            done = await cluster.WaitAsync(s =>
            {
                progress.Observe(s.Node(slave), s.At);
                var node = s.Node(slave);
                return node.Alive && node.Role == "slave" && node.AppliedIndex >= lastIndex && node.LagOps == 0;
            }, TimeSpan.FromMinutes(180), $"node {slave} resynced", ct).ConfigureAwait(false);
            var hwm = RssSampler.ReadKb(daemonPid, "VmHWM");
            report.AddNote($"Daemon RSS: {F(rssAtStart / 1024.0, 1)} MB once the cluster was in sync, {F(rssBefore / 1024.0, 1)} MB after writing the documents, before the restart; peak of {N(rss.Samples)} samples (every 100 ms) {F(rss.PeakKb / 1024.0, 1)} MB; VmHWM {(hwmReset ? "since the restart" : "over the daemon's life (reset refused)")} {F(hwm / 1024.0, 1)} MB.");
            progress.PeakRssMb = Math.Max(rss.PeakKb, hwmReset ? hwm : 0) / 1024.0;
        }

        var slaveCounters = (await NodeCounters.ReadAllAsync(cluster, [slave], ct).ConfigureAwait(false))[slave];
        report.AddNote($"Slave (node {slave}) from its restart to the end of the resync: {slaveCounters.PerDocument(total)}.");
        var seconds = Percentiles.Between(restartAt, done.At) / 1000;
        var rate = total / seconds;
        report.AddRow("resync: restart of the node -> slave with lagOps 0", N(total), F(seconds, 1), N(rate),
            $"resyncing seen after {F(progress.FirstResyncingAt is { } r ? Percentiles.Between(restartAt, r) / 1000 : double.NaN, 2)} s");
        if (progress.CopyRows() is { } copy)
        {
            report.AddRow("resync: copy phase (status resync object)", N(copy.Copied), F(copy.Seconds, 1), N(copy.Rate), $"daemon's own last reported rate {N(copy.ReportedRate)}/s");
        }
        else
        {
            report.AddNote("/status showed no resync progress object while the node was resyncing; copy phase not measured separately.");
        }

        BaselineResult baseline;
        await using (var source = cluster.Direct(master))
        await using (var target = cluster.Direct(slave))
        {
            baseline = await DirectBaselines.CopyAsync(source, target, "app", "resync", 1_000, ct).ConfigureAwait(false);
            report.AddRow($"baseline: copy node {master} -> node {slave} with our client (find, insertMany of 1,000)", N(baseline.Documents), F(baseline.Seconds, 1), N(baseline.Rate), "");
        }

        var ratio = rate / baseline.Rate;
        report.AddNote($"OplogSizeMB={settings.ResyncOplogMB}; the slave (node {slave}) was killed with SIGKILL and restarted on its data; /status polled every 100 ms.");
        report.Summary = $"resync {N(rate)} docs/s / raw copy {N(baseline.Rate)} docs/s = {F(ratio)} (goal >= {GoalRatio}: {Verdict(ratio >= GoalRatio)}); daemon peak RSS {F(progress.PeakRssMb, 1)} MB (goal <= {N(GoalRssMb)} MB: {Verdict(progress.PeakRssMb <= GoalRssMb)}); {N(total)} documents of 1 KB";
        return report;
    }

    /// <summary>What /status showed of the resync: when it started and the copy progress.</summary>
    private sealed class ResyncObservation
    {
        private (long At, long Copied)? _firstCopy;
        private (long At, long Copied, double Rate)? _lastCopy;

        public long? FirstResyncingAt { get; private set; }

        public double PeakRssMb { get; set; }

        public void Observe(NodeSnapshot node, long at)
        {
            if (node.Role != "resyncing")
            {
                return;
            }

            FirstResyncingAt ??= at;
            if (node.Resync is { } r)
            {
                _firstCopy ??= (at, r.Copied);
                _lastCopy = (at, r.Copied, r.Rate);
            }
        }

        /// <summary>Documents copied between the first and last observation, or null when none was seen.</summary>
        public (long Copied, double Seconds, double Rate, double ReportedRate)? CopyRows()
        {
            if (_firstCopy is not { } first || _lastCopy is not { } last || last.At == first.At)
            {
                return null;
            }

            var seconds = Percentiles.Between(first.At, last.At) / 1000;
            var copied = last.Copied - first.Copied;
            return (last.Copied, seconds, copied / seconds, last.Rate);
        }
    }
}
