using DistributedSync.TestKit.Chaos;

namespace DistributedSync.Daemon.Tests.Chaos;

/// <summary>
/// The short CI version of the chaos run (tests/DistributedSync.Chaos runs many seeds): a few
/// seeded fault schedules against three emulator processes behind fault proxies and the daemon
/// process, each checked with the set test. A failing seed prints its schedule, what the
/// injector did and where its data and logs were kept; add it here when it is fixed.
/// </summary>
public sealed class ChaosScheduleTests
{
    [Theory]
    [InlineData(1, "majority", 10)]
    [InlineData(2, "majority", 10)]
    [InlineData(1, "1", 10)]
    [InlineData(2, "1", 10)]
    // Once failed: a 0.8 s blackhole of a slave's proxy lost an in-flight exchange and its tailing
    // stalled forever on a connection that looked healthy (fixed: a default socket timeout).
    [InlineData(1002, "majority", 8)]
    public async Task Schedule_KeepsEveryPromise(int seed, string writeConcern, int seconds)
    {
        var report = await ChaosRunner.RunAsync(new ChaosRunOptions
        {
            Seed = seed,
            WriteConcern = writeConcern,
            Duration = TimeSpan.FromSeconds(seconds),
        }, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());

        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Acknowledged > 0, "no write was acknowledged: the run proved nothing\n" + report);
        Assert.True(report.Episodes > 0, "the schedule injected no fault\n" + report);
    }
}
