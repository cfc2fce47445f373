using System.Text;
using DistributedSync.Replication.Tests.Simulation;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// The seeded simulation: hundreds of reproducible runs of 3 and 5 nodes under message loss,
/// delay and reordering, node crashes, partitions and daemon crashes. A failing seed is reported
/// with its step, the broken invariant and the tail of a traced re-run; such a seed is then added
/// to <see cref="RegressionSeeds"/> for good.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private static readonly SimConfig Three = new() { NodeCount = 3, Steps = 1000 };
    private static readonly SimConfig Five = new() { NodeCount = 5, Steps = 1000, OplogCapacity = 80 };

    private static readonly Dictionary<string, SimConfig> Configs = new()
    {
        ["three"] = Three,
        ["five"] = Five,
        ["three-no-takeover"] = Three with { TakeoverEnabled = false },
        ["three-tiny-oplog"] = Three with { OplogCapacity = 12 },
        ["three-daemon-crashes"] = Three with
        {
            NodeCrashRate = 0,
            PartitionRate = 0,
            ZombieRate = 0,
            MaxLossRate = 0,
            SlowMessageRate = 0,
            DaemonCrashRate = 0.01,
            EveryAcknowledgedWriteSurvives = true,
        },
    };

    /// <summary>DISTSYNC_SIM_SCALE multiplies the number of seeds (for longer soak runs).</summary>
    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("DISTSYNC_SIM_SCALE"), out var s) && s > 0 ? s : 1;

    /// <summary>DISTSYNC_SIM_SEED_OFFSET shifts every seed range (to explore seeds no run has tried).</summary>
    private static int Offset => int.TryParse(Environment.GetEnvironmentVariable("DISTSYNC_SIM_SEED_OFFSET"), out var o) && o >= 0 ? o : 0;

    [Fact]
    public void Three_nodes_keep_every_invariant_across_300_seeds() => RunSeeds(Configs["three"], Offset, 300 * Scale);

    [Fact]
    public void Five_nodes_keep_every_invariant_across_150_seeds() => RunSeeds(Configs["five"], Offset + 10_000, 150 * Scale);

    [Fact]
    public void Three_nodes_without_takeover_keep_every_invariant_across_100_seeds()
        => RunSeeds(Configs["three-no-takeover"], Offset + 20_000, 100 * Scale);

    [Fact]
    public void Three_nodes_with_a_tiny_oplog_resync_and_keep_every_invariant_across_100_seeds()
        => RunSeeds(Configs["three-tiny-oplog"], Offset + 30_000, 100 * Scale);

    [Fact]
    public void Three_nodes_lose_no_acknowledged_write_when_only_the_daemon_crashes_across_100_seeds()
        => RunSeeds(Configs["three-daemon-crashes"], Offset + 40_000, 100 * Scale);

    /// <summary>Seeds that failed once, kept for good (the bug each one found is in the project report).</summary>
    [Theory]
    [InlineData("three", 2)]
    [InlineData("three", 7)]
    [InlineData("three", 13)]
    [InlineData("three", 16)]
    [InlineData("three", 21)]
    [InlineData("three", 66)]
    [InlineData("three", 151)]
    [InlineData("three", 188)]
    [InlineData("five", 10006)]
    [InlineData("five", 10007)]
    [InlineData("five", 10025)]
    [InlineData("five", 10029)]
    [InlineData("five", 10043)]
    [InlineData("five", 10090)]
    [InlineData("five", 10822)]
    [InlineData("three-no-takeover", 20003)]
    [InlineData("three-no-takeover", 20004)]
    [InlineData("three-no-takeover", 20009)]
    [InlineData("three-no-takeover", 20091)]
    [InlineData("three-tiny-oplog", 30002)]
    [InlineData("three-tiny-oplog", 30006)]
    [InlineData("three-tiny-oplog", 30015)]
    [InlineData("three-tiny-oplog", 30019)]
    [InlineData("three-tiny-oplog", 30023)]
    [InlineData("three-tiny-oplog", 30025)]
    [InlineData("three-tiny-oplog", 30040)]
    [InlineData("three-tiny-oplog", 30818)]
    [InlineData("three-tiny-oplog", 2031187)]
    public void Regression_seed(string config, int seed)
    {
        var result = ClusterSimulation.Run(seed, Configs[config]);
        Assert.True(result.Passed, Explain(result, Configs[config]));
    }

    private void RunSeeds(SimConfig config, int firstSeed, int count)
    {
        var failures = new List<string>();
        var total = new SimStats();
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var result = ClusterSimulation.Run(seed, config);
            Add(total, result.Stats);
            if (!result.Passed)
            {
                failures.Add(Explain(result, config));
                if (failures.Count >= 3)
                {
                    break;
                }
            }
        }

        output.WriteLine($"{count} seeds, {total.Steps} steps ({total.ServingSteps} with a master taking writes): {total.Writes} writes, "
                         + $"{total.Acknowledged} acknowledged ({total.MajorityAcks} by majority), {total.FailedNotApplied} failed unapplied, {total.FailedMaybeApplied} failed maybe applied; "
                         + $"{total.Promotions} promotions, {total.Takeovers} takeovers, {total.Rollbacks} rollbacks, {total.Resyncs} resyncs; "
                         + $"{total.NodeCrashes} node crashes, {total.Partitions} partitions, {total.DaemonCrashes} daemon crashes, {total.Zombies} split-brain daemons");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static string Explain(SimResult result, SimConfig config)
    {
        if (result.Passed)
        {
            return string.Empty;
        }

        // Set DISTSYNC_SIM_TRACE_DIR to also get the whole trace of a failing seed in a file.
        var dir = Environment.GetEnvironmentVariable("DISTSYNC_SIM_TRACE_DIR");
        using var file = dir is null ? null : new StreamWriter(Path.Combine(dir, $"seed-{result.Seed}.log"));
        var trace = new Queue<string>();
        ClusterSimulation.Run(result.Seed, config, line =>
        {
            file?.WriteLine(line);
            trace.Enqueue(line);
            if (trace.Count > 60)
            {
                trace.Dequeue();
            }
        });
        var text = new StringBuilder()
            .Append($"seed {result.Seed} ({config.NodeCount} nodes), step {result.Step} (t={result.TimeMs} ms): [{result.Check}] {result.Message}")
            .AppendLine()
            .AppendLine("last trace lines:");
        foreach (var line in trace)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static void Add(SimStats total, SimStats s)
    {
        total.Steps += s.Steps;
        total.Writes += s.Writes;
        total.MajorityAcks += s.MajorityAcks;
        total.Promotions += s.Promotions;
        total.Rollbacks += s.Rollbacks;
        total.Resyncs += s.Resyncs;
        total.NodeCrashes += s.NodeCrashes;
        total.Partitions += s.Partitions;
        total.DaemonCrashes += s.DaemonCrashes;
        total.Acknowledged += s.Acknowledged;
        total.FailedNotApplied += s.FailedNotApplied;
        total.FailedMaybeApplied += s.FailedMaybeApplied;
        total.ServingSteps += s.ServingSteps;
        total.Takeovers += s.Takeovers;
        total.Zombies += s.Zombies;
    }
}
