using DistributedSync.TestKit.Chaos;

namespace DistributedSync.TestKit.Tests.Chaos;

public sealed class FaultScheduleTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Fact]
    public void SameSeed_SameSchedule_OtherSeed_OtherSchedule()
    {
        var a = FaultSchedule.Generate(42, Duration);
        var b = FaultSchedule.Generate(42, Duration);
        var c = FaultSchedule.Generate(43, Duration);

        Assert.Equal(a.ToString(), b.ToString());
        Assert.NotEqual(a.ToString(), c.ToString());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    public void EveryScheduleKeepsItsRules(int seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        for (var seed = 1; seed <= 500; seed++)
        {
            var schedule = FaultSchedule.Generate(seed, duration);
            Assert.NotEmpty(schedule.Episodes);
            foreach (var episode in schedule.Episodes)
            {
                Assert.True(episode.Start > TimeSpan.Zero && episode.End <= duration - TimeSpan.FromMilliseconds(500), $"seed {seed}: {episode} leaves no time to end before the workload");
                var overlapping = schedule.Episodes.Where(o => o != episode && o.Start < episode.End && episode.Start < o.End).ToList();
                Assert.True(overlapping.Count <= 2, $"seed {seed}: {episode} overlaps {overlapping.Count} episodes");
                Assert.DoesNotContain(overlapping, o => o.Node == episode.Node);
                Assert.Equal(episode.Kind is FaultKind.Blackhole or FaultKind.Delay or FaultKind.Reset or FaultKind.DropNew or FaultKind.Bandwidth, episode.ProxyFault is not null);
            }

            Assert.Equal(schedule.Episodes.OrderBy(e => e.Start).ToList(), schedule.Episodes);
        }
    }

    [Fact]
    public void ManySeeds_CoverEveryKindOfFault()
    {
        var kinds = Enumerable.Range(1, 200).SelectMany(s => FaultSchedule.Generate(s, Duration).Episodes).Select(e => e.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<FaultKind>().ToHashSet(), kinds);
    }
}
