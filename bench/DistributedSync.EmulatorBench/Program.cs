using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DistributedSync.EmulatorBench;
using DistributedSync.TestKit.Processes;

// Emulator workloads, our client vs the Node.js driver against one emulator process, plus the raw
// SQLite insert rate in this process. See bench/run-emulator-bench.sh and docs/benchmarks.md.
//
//   DistributedSync.EmulatorBench --node-script bench/js/emulator-bench.mjs [--reps 3]
//       [--single 16000] [--connections 16] [--batches 50] [--batch-size 1000] [--scan-batch-size 10000|0]
//       [--uri mongodb://...] (an already running server instead of a fresh emulator process)
//       [--work DIR] [--markdown FILE] [--skip-node]
var options = Options.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var work = Directory.CreateDirectory(options.Work).FullName;
var loadBefore = LoadAverage();
var template = Path.Combine(work, "template.bson");
BenchDocuments.WriteTemplate(template);
Console.Error.WriteLine($"Document: {BenchDocuments.StoredSize} bytes stored (with _id). Work directory: {work}. Load average: {loadBefore}.");

EmulatorProcess? emulator = null;
try
{
    string uri;
    if (options.Uri is { } external)
    {
        uri = external;
    }
    else
    {
        var dbPath = Path.Combine(work, "emulator-db");
        if (Directory.Exists(dbPath))
        {
            Directory.Delete(dbPath, recursive: true);
        }

        emulator = await EmulatorProcess.StartAsync(new EmulatorProcessOptions { DbPath = dbPath, ExtraArguments = ["--quiet"] });
        uri = emulator.ConnectionString;
        Console.Error.WriteLine($"Emulator pid {emulator.ProcessId} on {uri} (dbpath {dbPath}).");
    }

    var oursUri = uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "maxPoolSize=" + options.Connections.ToString(invariant);
    var ours = new Samples();
    var node = new Samples();
    var wire = new List<double>();
    var wireScan = new List<double>();
    var raw = new List<double>();
    var rawWithEncoding = new List<double>();
    var total = options.Batches * options.BatchSize;
    await using (var client = new OurClientWorkloads(oursUri, options.Database))
    {
        Console.Error.WriteLine("Warm-up (our client)...");
        await client.SingleInsertsAsync("ours_warm_single", Math.Max(options.Connections, options.Single / 10), options.Connections);
        await client.BatchedInsertsAsync("ours_warm_batched", Math.Max(1, options.Batches / 10), options.BatchSize);
        await client.ScanAsync("ours_warm_batched", Math.Max(1, options.Batches / 10) * (long)options.BatchSize, options.ScanBatchSize);
        await client.DropAsync("ours_warm_single");
        await client.DropAsync("ours_warm_batched");

        for (var rep = 1; rep <= options.Reps; rep++)
        {
            // Alternate who goes first, so neither side always runs on a fuller database file.
            var oursFirst = rep % 2 == 1;
            if (!oursFirst)
            {
                await RunNodeAsync(rep);
            }

            Console.Error.WriteLine($"Run {rep}/{options.Reps}: our client...");
            Sync();
            ours.Single.Add(await client.SingleInsertsAsync("ours_single", options.Single, options.Connections));
            ours.Batched.Add(await client.BatchedInsertsAsync("ours_batched", options.Batches, options.BatchSize));
            ours.Scan.Add(await client.ScanAsync("ours_batched", total, options.ScanBatchSize));
            await client.DropAsync("ours_single");
            await client.DropAsync("ours_batched");
            if (oursFirst)
            {
                await RunNodeAsync(rep);
            }

            Console.Error.WriteLine($"Run {rep}/{options.Reps}: pre-encoded OP_MSG, raw SQLite...");
            Sync();
            wire.Add(await PreEncodedWireWorkload.InsertAsync(new Uri(uri).Port, options.Database, "wire_batched", options.Batches, options.BatchSize, keep: true));
            wireScan.Add(await PreEncodedWireWorkload.ScanAsync(new Uri(uri).Port, options.Database, "wire_batched", options.ScanBatchSize, total));
            await client.DropAsync("wire_batched");
            Sync();
            raw.Add(RawSqliteWorkload.Insert(Path.Combine(work, "raw"), total, options.BatchSize, includeEncoding: false));
            Sync();
            rawWithEncoding.Add(RawSqliteWorkload.Insert(Path.Combine(work, "raw"), total, options.BatchSize, includeEncoding: true));
        }
    }

    var report = Report();
    Console.WriteLine(report);
    if (options.Markdown is { } markdown)
    {
        await File.WriteAllTextAsync(markdown, report);
    }

    string Report()
    {
        var text = new StringBuilder();
        text.AppendLine(invariant, $"Emulator workloads: {BenchDocuments.StoredSize}-byte documents; {options.Single:N0} single inserts from {options.Connections} connections; {options.Batches} x insertMany of {options.BatchSize:N0}; scan of the {total:N0} batched documents (cursor batch size {(options.ScanBatchSize is { } b ? b.ToString("N0", invariant) : "server default")}). Median of {options.Reps} runs (docs/s; every run in brackets).");
        text.AppendLine();
        text.AppendLine("| workload | ours (docs/s) | Node.js driver (docs/s) | ours / Node.js | goal |");
        text.AppendLine("|---|---:|---:|---:|---|");
        Row("single-document inserts, 16 connections", ours.Single, node.Single);
        Row("insertMany, 1,000 x 1 KB per call", ours.Batched, node.Batched);
        Row("full collection scan, find({})", ours.Scan, node.Scan);
        text.AppendLine();
        text.AppendLine(invariant, $"| raw SQLite in-process, {options.BatchSize:N0} inserts per transaction | docs/s | batched ours / raw |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(invariant, $"| pre-encoded BSON (the physical limit) | {Median(raw):N0} {All(raw)} | **{Median(ours.Batched) / Median(raw):P0}** (goal >= 50%: {(Median(ours.Batched) >= Median(raw) / 2 ? "met" : "MISSED")}) |");
        text.AppendLine(invariant, $"| BSON encoding inside the loop | {Median(rawWithEncoding):N0} {All(rawWithEncoding)} | {Median(ours.Batched) / Median(rawWithEncoding):P0} |");
        text.AppendLine();
        text.AppendLine("Diagnostics, the server's share alone (no client library: requests encoded in advance, replies walked, not decoded, over a plain socket):");
        text.AppendLine();
        text.AppendLine("| workload | docs/s | ours / this |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(invariant, $"| insert batches of {options.BatchSize:N0}, pre-encoded OP_MSG | {Median(wire):N0} {All(wire)} ({Median(wire) / Median(raw):P0} of raw SQLite) | {Median(ours.Batched) / Median(wire):P0} |");
        text.AppendLine(invariant, $"| scan, find/getMore | {Median(wireScan):N0} {All(wireScan)} | {Median(ours.Scan) / Median(wireScan):P0} |");
        text.AppendLine();
        text.AppendLine(invariant, $"Load average before: {loadBefore}; after: {LoadAverage()}. {Environment.ProcessorCount} cores, .NET {Environment.Version}, {node.Versions ?? "Node.js not run"}.");
        return text.ToString();

        void Row(string name, List<double> mine, List<double> theirs)
        {
            var ratio = theirs.Count == 0 ? "n/a" : (Median(mine) / Median(theirs)).ToString("F2", invariant) + "x";
            var goal = theirs.Count == 0 ? "n/a" : Median(mine) >= Median(theirs) ? "met" : "MISSED";
            text.AppendLine(invariant, $"| {name} | {Median(mine):N0} {All(mine)} | {(theirs.Count == 0 ? "n/a" : Median(theirs).ToString("N0", invariant) + " " + All(theirs))} | **{ratio}** | ours >= Node.js: {goal} |");
        }
    }

    async Task RunNodeAsync(int rep)
    {
        if (options.SkipNode)
        {
            return;
        }

        Console.Error.WriteLine($"Run {rep}/{options.Reps}: Node.js driver...");
        Sync();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            options.NodeScript, "--uri", uri, "--template", template, "--database", options.Database, "--prefix", "node",
            "--single", options.Single.ToString(invariant), "--connections", options.Connections.ToString(invariant),
            "--batches", options.Batches.ToString(invariant), "--batch-size", options.BatchSize.ToString(invariant),
            "--scan-batch-size", options.ScanBatchSize?.ToString(invariant) ?? "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start node.");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{options.NodeScript} exited with code {process.ExitCode}.");
        }

        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        node.Single.Add(root.GetProperty("single").GetDouble());
        node.Batched.Add(root.GetProperty("batched").GetDouble());
        node.Scan.Add(root.GetProperty("scan").GetDouble());
        node.Versions = $"Node.js {root.GetProperty("node").GetString()}, mongodb driver {root.GetProperty("driver").GetString()}";
    }
}
finally
{
    if (emulator is not null)
    {
        await emulator.StopAsync();
        await emulator.DisposeAsync();
    }
}

return 0;

static double Median(List<double> values)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// Flushes dirty pages (sync(1)) so a run does not pay for the writeback of the previous one.
static void Sync()
{
    using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
    sync?.WaitForExit();
}

static string All(List<double> values) => "[" + string.Join(", ", values.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))) + "]";

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}

/// <summary>Documents per second of each run, per workload.</summary>
internal sealed class Samples
{
    public List<double> Single { get; } = [];

    public List<double> Batched { get; } = [];

    public List<double> Scan { get; } = [];

    public string? Versions { get; set; }
}

/// <summary>The command line.</summary>
internal sealed record Options
{
    public string NodeScript { get; init; } = "bench/js/emulator-bench.mjs";

    public string? Uri { get; init; }

    public string Database { get; init; } = "bench";

    public int Reps { get; init; } = 3;

    public int Single { get; init; } = 16_000;

    public int Connections { get; init; } = 16;

    public int Batches { get; init; } = 50;

    public int BatchSize { get; init; } = 1_000;

    /// <summary>
    /// The scan's cursor batch size on both sides; 0 for the server's default. 10,000 by default
    /// because the emulator's default getMore batch (16 MiB of 1 KB documents) currently exceeds
    /// the 16 MiB + 16 KiB reply limit our client enforces (docs/benchmarks.md).
    /// </summary>
    public int? ScanBatchSize { get; init; } = 10_000;

    public string Work { get; init; } = Path.Combine(Path.GetTempPath(), "ds-emulator-bench");

    public string? Markdown { get; init; }

    public bool SkipNode { get; init; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--node-script" => options with { NodeScript = Value() },
                "--uri" => options with { Uri = Value() },
                "--database" => options with { Database = Value() },
                "--reps" => options with { Reps = Number() },
                "--single" => options with { Single = Number() },
                "--connections" => options with { Connections = Number() },
                "--batches" => options with { Batches = Number() },
                "--batch-size" => options with { BatchSize = Number() },
                "--scan-batch-size" => options with { ScanBatchSize = Number() is var n && n > 0 ? n : null },
                "--work" => options with { Work = Value() },
                "--markdown" => options with { Markdown = Value() },
                "--skip-node" => options with { SkipNode = true },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return options;
    }
}
