using System.CommandLine;
using System.Globalization;
using DistributedSync.Chaos;
using DistributedSync.TestKit.Chaos;
using Spectre.Console;

// Runs N fault schedules (seeds) against three emulator nodes behind fault proxies and the daemon,
// checks each with Jepsen's set test and prints a summary table. Exit code 0 when every run passed.
var seeds = new Option<int>("--seeds") { Description = "How many schedules to run.", DefaultValueFactory = _ => 10 };
var firstSeed = new Option<int>("--first-seed") { Description = "The first seed; seeds are consecutive.", DefaultValueFactory = _ => 1 };
var duration = new Option<double>("--duration") { Description = "Seconds of workload and faults per schedule.", DefaultValueFactory = _ => 10 };
var writeConcern = new Option<string>("--w") { Description = "majority, 1, or both (each seed runs once per write concern).", DefaultValueFactory = _ => "both" };
var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => 8 };
var output = new Option<FileInfo?>("--markdown") { Description = "Also write the table as Markdown to this file." };
writeConcern.AcceptOnlyFromAmong("majority", "1", "both");

var root = new RootCommand("DistributedSync chaos runner: seeded fault schedules checked with a Jepsen-style set test.")
{
    seeds, firstSeed, duration, writeConcern, clients, output,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var count = parse.GetValue(seeds);
    var first = parse.GetValue(firstSeed);
    var concerns = parse.GetValue(writeConcern) == "both" ? new[] { "majority", "1" } : [parse.GetValue(writeConcern)!];
    if (count < 1 || parse.GetValue(duration) < 3 || parse.GetValue(clients) < 1)
    {
        await Console.Error.WriteLineAsync("--seeds and --clients must be at least 1, --duration at least 3 seconds.").ConfigureAwait(false);
        return 2;
    }

    var reports = new List<ChaosReport>();
    for (var seed = first; seed < first + count; seed++)
    {
        foreach (var w in concerns)
        {
            ChaosReport report;
            try
            {
                report = await ChaosRunner.RunAsync(new ChaosRunOptions
                {
                    Seed = seed,
                    WriteConcern = w,
                    Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                    Clients = parse.GetValue(clients),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A harness failure (a node that would not start, ...) fails this schedule, not the whole run.
                report = new ChaosReport { Seed = seed, WriteConcern = w, Problems = ["the run itself failed: " + e] };
            }

            reports.Add(report);
            Console.WriteLine(report.ToString());
        }
    }

    if (Console.IsOutputRedirected)
    {
        AnsiConsole.Profile.Width = 220;
    }

    var table = SummaryTable.Build(reports);
    AnsiConsole.Write(table);
    Console.WriteLine(SummaryTable.Totals(reports));
    if (parse.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, SummaryTable.Markdown(reports), cancellationToken).ConfigureAwait(false);
    }

    return reports.All(r => r.Passed) ? 0 : 1;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
