using System.CommandLine;
using System.Globalization;
using DistributedSync.SystemBench;
using DistributedSync.SystemBench.Benchmarks;
using DistributedSync.SystemBench.Reporting;
using DistributedSync.SystemBench.Workload;
using Spectre.Console;

// System benchmarks of issue 6: replication lag, catch-up throughput, write path, failover and
// full resync, each against three emulator nodes and the daemon in their own processes.
// See bench/run-system-bench.sh and docs/benchmarks.md.
var names = new[] { "lag", "catchup", "writepath", "failover", "resync" };
var only = new Option<string[]>("--only") { Description = "Run only these benchmarks (lag, catchup, writepath, failover, resync); repeat or separate with commas.", AllowMultipleArgumentsPerToken = true };
var quick = new Option<bool>("--quick") { Description = "Small sizes for a quick look (every size can still be set explicitly)." };
var work = new Option<string>("--work") { Description = "Folder for the per-benchmark work directories (deleted afterwards).", DefaultValueFactory = _ => Path.GetTempPath() };
var keepWork = new Option<bool>("--keep-work") { Description = "Keep the work directories (node data, daemon logs)." };
var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write every table as Markdown to this file." };
var daemonArgs = new Option<string[]>("--daemon-arg") { Description = "An extra --Key=value argument for every daemon (repeatable), e.g. --daemon-arg=--Serilog:MinimumLevel:Override:DistributedSync.Daemon.Sync=Debug." };
var clients = new Option<int?>("--clients") { Description = "Concurrent HTTP clients of the closed loops (default 64)." };
var heartbeat = new Option<int?>("--heartbeat-ms") { Description = "Election:HeartbeatIntervalMs for every cluster (default: the shipped value)." };
var failure = new Option<int?>("--failure-ms") { Description = "Election:FailureTimeoutMs for every cluster (default: the shipped value)." };
var lagRates = new Option<string?>("--lag-rates") { Description = "Open-loop rates of the lag benchmark, comma-separated (default 100,1000); the closed-loop maximum is always added." };
var lagSeconds = new Option<double?>("--lag-seconds") { Description = "Seconds of writes per lag rate (default 20; quick 5)." };
var pollMs = new Option<double?>("--poll-ms") { Description = "Pause of the visibility watchers between empty polls, ms (default 1)." };
var catchupDocs = new Option<int?>("--catchup-docs") { Description = "Backlog of the catch-up benchmark (default 1,000,000; quick 20,000)." };
var catchupOplog = new Option<int?>("--catchup-oplog-mb") { Description = "OplogSizeMB of the catch-up cluster; must hold the backlog (default 4096; quick 256)." };
var baselineDocs = new Option<int?>("--baseline-docs") { Description = "Documents of the raw catch-up/resync baselines (default: as many as the daemon moved)." };
var postBatch = new Option<int?>("--post-batch") { Description = "Documents per array POST when writing a backlog (default 1,000)." };
var postParallel = new Option<int?>("--post-parallel") { Description = "Array POSTs in flight when writing a backlog (default 2)." };
var writeSeconds = new Option<double?>("--writepath-seconds") { Description = "Measured seconds per write concern (default 15; quick 5)." };
var warmup = new Option<double?>("--warmup-seconds") { Description = "Warm-up seconds before the write path (default 3; quick 1)." };
var writeBaseline = new Option<int?>("--writepath-baseline-docs") { Description = "Documents of the direct insertMany baseline (default 200,000; quick 20,000)." };
var rounds = new Option<int?>("--failover-rounds") { Description = "Kills of the master's node (default 20; quick 3)." };
var failoverRate = new Option<double?>("--failover-rate") { Description = "Writes/s of the steady load during failover (default 200)." };
var resyncDocs = new Option<int?>("--resync-docs") { Description = "Documents written while a slave is down, so that it must resync (default 1,000,000; quick 30,000)." };
var resyncOplog = new Option<int?>("--resync-oplog-mb") { Description = "OplogSizeMB of the resync cluster; small, so the oplog wraps (default 16)." };

var root = new RootCommand("DistributedSync system benchmarks (issue 6): lag, catchup, writepath, failover, resync.")
{
    only, quick, work, keepWork, markdown, daemonArgs, clients, heartbeat, failure, lagRates, lagSeconds, pollMs, catchupDocs, catchupOplog,
    baselineDocs, postBatch, postParallel, writeSeconds, warmup, writeBaseline, rounds, failoverRate, resyncDocs, resyncOplog,
};
root.SetAction(async (parse, ct) =>
{
    var selected = (parse.GetValue(only) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    if (selected.FirstOrDefault(s => !names.Contains(s)) is { } unknown)
    {
        await Console.Error.WriteLineAsync($"--only: unknown benchmark '{unknown}'; choose from {string.Join(", ", names)}.").ConfigureAwait(false);
        return 2;
    }

    var workRoot = Path.GetFullPath(parse.GetValue(work)!);
    var d = parse.GetValue(quick) ? BenchSettings.QuickDefaults(workRoot) : new BenchSettings { WorkRoot = workRoot };
    var settings = d with
    {
        KeepWork = parse.GetValue(keepWork),
        Clients = parse.GetValue(clients) ?? d.Clients,
        DaemonArguments = parse.GetValue(daemonArgs) ?? [],
        HeartbeatMs = parse.GetValue(heartbeat),
        FailureMs = parse.GetValue(failure),
        LagRates = parse.GetValue(lagRates) is { } rates ? rates.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList() : d.LagRates,
        LagSeconds = parse.GetValue(lagSeconds) ?? d.LagSeconds,
        PollMs = parse.GetValue(pollMs) ?? d.PollMs,
        CatchupDocs = parse.GetValue(catchupDocs) ?? d.CatchupDocs,
        CatchupOplogMB = parse.GetValue(catchupOplog) ?? d.CatchupOplogMB,
        BaselineDocs = parse.GetValue(baselineDocs) ?? d.BaselineDocs,
        PostBatch = parse.GetValue(postBatch) ?? d.PostBatch,
        PostParallel = parse.GetValue(postParallel) ?? d.PostParallel,
        WritePathSeconds = parse.GetValue(writeSeconds) ?? d.WritePathSeconds,
        WarmupSeconds = parse.GetValue(warmup) ?? d.WarmupSeconds,
        WritePathBaselineDocs = parse.GetValue(writeBaseline) ?? d.WritePathBaselineDocs,
        FailoverRounds = parse.GetValue(rounds) ?? d.FailoverRounds,
        FailoverRate = parse.GetValue(failoverRate) ?? d.FailoverRate,
        ResyncDocs = parse.GetValue(resyncDocs) ?? d.ResyncDocs,
        ResyncOplogMB = parse.GetValue(resyncOplog) ?? d.ResyncOplogMB,
    };
    Directory.CreateDirectory(settings.WorkRoot);
    if (Console.IsOutputRedirected)
    {
        // Redirected to a file or a pipe: tables as wide as they need, not 80 columns.
        AnsiConsole.Profile.Width = 250;
    }

    BenchDocuments.Verify();

    var header = MachineFacts.Describe();
    Console.WriteLine(header);
    Console.WriteLine($"Command line: {string.Join(' ', args)}");
    Console.WriteLine();
    var reports = new List<BenchReport>();
    var failed = 0;
    foreach (var name in names.Where(n => selected.Count == 0 || selected.Contains(n)))
    {
        Console.Error.WriteLine($"==> {name} (load average {MachineFacts.LoadAverage()})");
        try
        {
            var report = name switch
            {
                "lag" => await LagBenchmark.RunAsync(settings, ct).ConfigureAwait(false),
                "catchup" => await CatchupBenchmark.RunAsync(settings, ct).ConfigureAwait(false),
                "writepath" => await WritePathBenchmark.RunAsync(settings, ct).ConfigureAwait(false),
                "failover" => await FailoverBenchmark.RunAsync(settings, ct).ConfigureAwait(false),
                _ => await ResyncBenchmark.RunAsync(settings, ct).ConfigureAwait(false),
            };
            ct.ThrowIfCancellationRequested(); // interrupted: the figures are not complete
            report.AddNote($"Load average at the end: {MachineFacts.LoadAverage()}.");
            report.Print();
            reports.Add(report);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failed++;
            Console.Error.WriteLine($"[{name}] FAILED: {e}");
            var report = new BenchReport(name, name + ": failed", "error");
            report.AddRow(e.GetType().Name + ": " + e.Message.Split('\n')[0]);
            report.Summary = "failed: " + e.Message.Split('\n')[0];
            reports.Add(report);
        }

        if (parse.GetValue(markdown) is { } file)
        {
            var text = header + "\n\nCommand line: `" + string.Join(' ', args) + "`\n\n" + string.Concat(reports.Select(r => r.Markdown()));
            await File.WriteAllTextAsync(file.FullName, text, ct).ConfigureAwait(false);
        }
    }

    Console.WriteLine("Summary:");
    foreach (var report in reports)
    {
        Console.WriteLine($"  {report.Name}: {report.Summary}");
    }

    return failed == 0 ? 0 : 1;
});

// SIGINT/SIGTERM cancel the token; up to 2 minutes are left for the clusters to be disposed (no
// orphaned node or daemon).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) }).ConfigureAwait(false);
