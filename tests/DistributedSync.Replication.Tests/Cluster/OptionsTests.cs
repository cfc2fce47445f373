using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class OptionsTests
{
    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(7, 4)]
    public void The_majority_is_half_plus_one(int nodes, int majority)
        => Assert.Equal(majority, DeciderHarness.Options(nodes).Majority);

    [Fact]
    public void Defaults_match_the_documented_values()
    {
        var o = new ClusterOptions { NodeIds = [1, 2, 3] };
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), o.FailureTimeout);
        Assert.Equal(3, o.RecoveryHeartbeats);
        Assert.True(o.TakeoverEnabled);
        o.Validate();
    }

    [Theory]
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 1, 2, 3, 4 })]
    [InlineData(new[] { 1, 2, 2 })]
    [InlineData(new[] { 0, 1, 2 })]
    public void Invalid_node_sets_are_rejected(int[] ids)
        => Assert.Throws<ArgumentException>(() => new ClusterOptions { NodeIds = ids }.Validate());

    [Fact]
    public void Timeouts_must_make_sense()
    {
        Assert.Throws<ArgumentException>(() => new ClusterOptions { NodeIds = [1, 2, 3], HeartbeatInterval = TimeSpan.FromMilliseconds(500), FailureTimeout = TimeSpan.FromMilliseconds(500) }.Validate());
        Assert.Throws<ArgumentException>(() => new ClusterOptions { NodeIds = [1, 2, 3], RecoveryHeartbeats = 0 }.Validate());
    }

    [Fact]
    public void An_even_cluster_split_in_halves_has_no_master()
    {
        var h = new DeciderHarness(4);
        h.Tick();
        h.Answer(4, 3);
        for (var i = 0; i < 3; i++)
        {
            h.Tick(100);
            h.Answer(4, 3);
        }

        Assert.Empty(h.All.OfType<WriteTerm>());
        Assert.Empty(h.All.OfType<CatchUpNode>());
        h.Answer(2);
        Assert.Contains(h.All, c => c is WriteTerm { MasterId: 4 });
    }
}
