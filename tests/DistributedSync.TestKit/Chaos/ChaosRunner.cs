using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DistributedSync.Mongo;

namespace DistributedSync.TestKit.Chaos;

/// <summary>Settings of one schedule run.</summary>
public sealed record ChaosRunOptions
{
    /// <summary>The schedule's seed.</summary>
    public required int Seed { get; init; }

    /// <summary><c>majority</c> or <c>1</c>.</summary>
    public string WriteConcern { get; init; } = "majority";

    /// <summary>How long the workload (and the fault schedule) runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent HTTP clients.</summary>
    public int Clients { get; init; } = 8;

    /// <summary>How long the healed cluster may take to converge.</summary>
    public TimeSpan ConvergenceDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs go in sub-folders of this folder; a passing run's folder is deleted.</summary>
    public string RootDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "distsync-chaos");
}

/// <summary>
/// Runs one schedule end to end: three nodes behind fault proxies and the daemon, the set
/// workload through the HTTP API while the schedule injects faults, then heal, wait for
/// convergence (with a deadline), read every node directly and check (<see cref="SetChecker"/>).
/// </summary>
public static partial class ChaosRunner
{
    /// <summary>Runs the schedule for <paramref name="options"/>.Seed and reports.</summary>
    public static async Task<ChaosReport> RunAsync(ChaosRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var work = Path.Combine(options.RootDirectory, string.Create(CultureInfo.InvariantCulture, $"seed-{options.Seed}-w{options.WriteConcern}-{Guid.NewGuid():N}"));
        var schedule = FaultSchedule.Generate(options.Seed, options.Duration);
        var problems = new List<string>();
        ChaosReport report;
        await using (var cluster = await ChaosCluster.StartAsync(work, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var monitor = new StatusMonitor(() => cluster.Daemon.HasExited ? null : cluster.Daemon.Http);
            await WaitAsync(async () => MasterOf(await monitor.PollOnceAsync(cancellationToken).ConfigureAwait(false)) is not null, TimeSpan.FromSeconds(30), "a first master", cancellationToken).ConfigureAwait(false);

            var workload = new SetWorkload(new Uri($"http://127.0.0.1:{cluster.Daemon.HttpPort}"), options.WriteConcern, clients: options.Clients);
            var injector = new FaultInjector(cluster);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var monitoring = monitor.RunAsync(TimeSpan.FromMilliseconds(50), stop.Token);
                var writing = workload.RunAsync(stop.Token);
                var faults = injector.RunAsync(schedule, cancellationToken);
                await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
                await faults.ConfigureAwait(false);
                stop.Cancel();
                await Task.WhenAll(monitoring, writing).ConfigureAwait(false);
            }

            await cluster.HealAsync(cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var snapshots = await ConvergeAsync(cluster, monitor, options.ConvergenceDeadline, cancellationToken).ConfigureAwait(false);
            var converged = snapshots is not null;
            if (!converged)
            {
                problems.Add($"the healed cluster did not converge within {options.ConvergenceDeadline.TotalSeconds:0}s");
                snapshots = await ReadAllAsync(cluster, cancellationToken).ConfigureAwait(false);
            }

            var masters = monitor.Masters.Keys.Concat(ElectionsInLog(cluster.Daemon.ConsoleLogPath)).ToHashSet();
            report = SetChecker.Check(options.Seed, options.WriteConcern, workload.Results, snapshots!, masters, problems) with
            {
                Episodes = schedule.Episodes.Count,
                Converged = converged,
                ConvergenceTime = clock.Elapsed,
                FaultLog = injector.Log,
                WorkDirectory = work,
            };
        }

        if (report.Passed)
        {
            TryDelete(work);
        }

        return report;
    }

    /// <summary>Every "Node X won the election for term T" line the daemon logged.</summary>
    public static IReadOnlyList<(long Term, int MasterId)> ElectionsInLog(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var found = new List<(long, int)>();
        while (reader.ReadLine() is { } line)
        {
            if (ElectionWon().Match(line) is { Success: true } match)
            {
                found.Add((long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
            }
        }

        return found;
    }

    [GeneratedRegex(@"Node (\d+) won the election for term (\d+)")]
    private static partial Regex ElectionWon();

    // Converged: a master, every node alive and caught up, the same data on every node.
    private static async Task<IReadOnlyList<NodeSnapshot>?> ConvergeAsync(ChaosCluster cluster, StatusMonitor monitor, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            using var status = await monitor.PollOnceAsync(cancellationToken).ConfigureAwait(false);
            if (status is not null && CaughtUp(status))
            {
                try
                {
                    var snapshots = await ReadAllAsync(cluster, cancellationToken).ConfigureAwait(false);
                    if (snapshots.All(s => s.DataHash == snapshots[0].DataHash && s.Values.SetEquals(snapshots[0].Values)))
                    {
                        return snapshots;
                    }
                }
                catch (MongoException)
                {
                    // A node is still coming back; try again.
                }
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static bool CaughtUp(JsonDocument status)
    {
        if (MasterOf(status) is null)
        {
            return false;
        }

        foreach (var node in status.RootElement.GetProperty("nodes").EnumerateArray())
        {
            var role = node.GetProperty("role").GetString();
            if (!node.GetProperty("alive").GetBoolean() || role is not ("master" or "slave") || node.GetProperty("lagOps").GetInt64() != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int? MasterOf(JsonDocument? status)
        => status?.RootElement.GetProperty("masterId") is { ValueKind: JsonValueKind.Number } id ? id.GetInt32() : null;

    private static async Task<IReadOnlyList<NodeSnapshot>> ReadAllAsync(ChaosCluster cluster, CancellationToken cancellationToken)
        => await Task.WhenAll(Enumerable.Range(0, cluster.Nodes.Count).Select(i =>
            NodeSnapshot.ReadAsync(cluster.Direct(i), i, cluster.Database, cluster.MetadataDatabase, "set", cancellationToken))).ConfigureAwait(false);

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"No {what} within {deadline.TotalSeconds:0}s.");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
