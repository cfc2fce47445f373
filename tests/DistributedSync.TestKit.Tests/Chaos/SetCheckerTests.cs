using DistributedSync.TestKit.Chaos;

namespace DistributedSync.TestKit.Tests.Chaos;

public sealed class SetCheckerTests
{
    private static readonly Dictionary<long, long> Oplog = new() { [1] = 1, [2] = 1, [3] = 2 };

    [Fact]
    public void AllAcknowledgedEverywhere_Passes()
    {
        var results = Results((1, WriteResult.Acknowledged), (2, WriteResult.Acknowledged), (3, WriteResult.Indeterminate), (4, WriteResult.Failed));
        var report = Check("majority", results, Node(0, 1, 2, 3), Node(1, 1, 2, 3), Node(2, 1, 2, 3));

        Assert.True(report.Passed, report.ToString());
        Assert.Equal((4, 2, 1, 1, 1), (report.Attempted, report.Acknowledged, report.Failed, report.Indeterminate, report.IndeterminatePresent));
    }

    [Fact]
    public void MajorityAcknowledgedMissingOnOneNode_IsLoss_EvenWhenRolledBack()
    {
        var results = Results((1, WriteResult.Acknowledged), (2, WriteResult.Acknowledged));
        var report = Check("majority", results, Node(0, 1, 2), Node(1, 1, 2), Node(2, [1], rolledBack: [2]));

        Assert.False(report.Passed);
        Assert.Equal(1, report.Lost);
        Assert.Contains(report.Problems, p => p.Contains("majority-acknowledged", StringComparison.Ordinal));
    }

    [Fact]
    public void W1_LossFoundInRollback_Passes_LossFoundNowhere_Fails()
    {
        var results = Results((1, WriteResult.Acknowledged), (2, WriteResult.Acknowledged), (3, WriteResult.Acknowledged));
        var rolledBack = Check("1", results, Node(0, [1], rolledBack: [2, 3]), Node(1, 1), Node(2, 1));
        var vanished = Check("1", results, Node(0, [1], rolledBack: [2]), Node(1, 1), Node(2, 1));

        Assert.True(rolledBack.Passed, rolledBack.ToString());
        Assert.Equal((2, 2, 0), (rolledBack.Lost, rolledBack.RolledBack, rolledBack.Vanished));
        Assert.False(vanished.Passed);
        Assert.Equal(1, vanished.Vanished);
    }

    [Fact]
    public void FailedOrUnknownValuePresent_IsUnexpected()
    {
        var results = Results((1, WriteResult.Failed));

        var report = Check("majority", results, Node(0, 1, 99), Node(1, 1, 99), Node(2, 1, 99));

        Assert.Equal(2, report.Unexpected);
        Assert.False(report.Passed);
    }

    [Fact]
    public void RolledBackValuePresent_IsResurrected()
    {
        var report = Check("1", Results((1, WriteResult.Acknowledged)), Node(0, [1], rolledBack: [1]), Node(1, 1), Node(2, 1));

        Assert.Equal(1, report.Resurrected);
        Assert.False(report.Passed);
    }

    [Fact]
    public void DifferentHashOrValues_IsDivergence()
    {
        var results = Results((1, WriteResult.Indeterminate));
        var byValues = Check("majority", results, Node(0, 1), Node(1, 1), Node(2));
        var byHash = Check("majority", results, Node(0, 1), Node(1, 1), Node(2, 1) with { DataHash = "other" });

        Assert.True(byValues.Diverged);
        Assert.True(byHash.Diverged);
        Assert.False(byHash.Passed);
    }

    [Fact]
    public void OplogTermsDisagreeing_AreCounted()
    {
        var other = new Dictionary<long, long> { [1] = 1, [2] = 2, [3] = 3, [4] = 3 };
        var report = Check("majority", Results(), Node(0), Node(1) with { OplogTerms = other }, Node(2));

        Assert.Equal(2, report.OplogMismatches);
        Assert.False(report.Passed);
    }

    [Fact]
    public void TwoMastersInOneTerm_IsSplitBrain()
    {
        var nodes = new[] { Node(0), Node(1), Node(2) };
        var report = SetChecker.Check(1, "majority", Results(), nodes, [(2, 3), (3, 2), (3, 1), (4, 3)], []);

        Assert.Equal([3L], report.SplitBrainTerms);
        Assert.Equal(4, report.MaxTerm);
        Assert.False(report.Passed);
    }

    private static ChaosReport Check(string w, Dictionary<long, WriteResult> results, params NodeSnapshot[] nodes)
        => SetChecker.Check(7, w, results, nodes, [(1, 3)], []);

    private static Dictionary<long, WriteResult> Results(params (long Value, WriteResult Result)[] results)
        => results.ToDictionary(r => r.Value, r => r.Result);

    private static NodeSnapshot Node(int index, params long[] values) => Node(index, values, rolledBack: []);

    private static NodeSnapshot Node(int index, long[] values, long[] rolledBack)
        => new(index, values.ToHashSet(), "hash-" + string.Join(",", values.Order()), rolledBack.ToHashSet(), Oplog);
}
