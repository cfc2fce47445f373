namespace DistributedSync.TestKit.Chaos;

/// <summary>
/// Jepsen's set-test verdicts over what the clients recorded and what every node holds at the end:
/// <list type="bullet">
/// <item>w=majority: every acknowledged value is on every node (no loss at all);</item>
/// <item>w=1: an acknowledged value missing at the end must be in some node's <c>rollback</c> collection (none vanishes silently);</item>
/// <item>no value that definitely failed, or was never written, appears; no rolled-back value reappears;</item>
/// <item>every node holds the same values with the same dbHash, and the oplogs agree on the term at every index they share;</item>
/// <item>no term had two masters.</item>
/// </list>
/// </summary>
public static class SetChecker
{
    /// <summary>Computes the report; <paramref name="problems"/> already holds problems found earlier (e.g. no convergence).</summary>
    public static ChaosReport Check(
        int seed,
        string writeConcern,
        IReadOnlyDictionary<long, WriteResult> results,
        IReadOnlyList<NodeSnapshot> nodes,
        IReadOnlyCollection<(long Term, int MasterId)> masters,
        List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(masters);
        ArgumentNullException.ThrowIfNull(problems);
        var acked = results.Where(r => r.Value == WriteResult.Acknowledged).Select(r => r.Key).ToHashSet();
        var failed = results.Where(r => r.Value == WriteResult.Failed).Select(r => r.Key).ToHashSet();
        var indeterminate = results.Where(r => r.Value == WriteResult.Indeterminate).Select(r => r.Key).ToHashSet();
        var rolledBackAnywhere = nodes.SelectMany(n => n.RolledBack).ToHashSet();
        var union = nodes.SelectMany(n => n.Values).ToHashSet();

        var lost = acked.Where(v => nodes.Any(n => !n.Values.Contains(v))).ToList();
        var rolledBack = lost.Where(rolledBackAnywhere.Contains).ToList();
        var vanished = lost.Where(v => !rolledBackAnywhere.Contains(v)).ToList();
        var unexpected = union.Where(v => failed.Contains(v) || !results.ContainsKey(v)).ToList();
        var resurrected = rolledBackAnywhere.Where(union.Contains).ToList();
        var diverged = nodes.Any(n => !n.Values.SetEquals(nodes[0].Values) || n.DataHash != nodes[0].DataHash);
        var oplogMismatches = CountOplogMismatches(nodes);
        var splitBrain = masters.GroupBy(m => m.Term).Where(g => g.Select(m => m.MasterId).Distinct().Count() > 1).Select(g => g.Key).Order().ToList();

        if (writeConcern == "majority" && lost.Count > 0)
        {
            problems.Add($"{lost.Count} majority-acknowledged value(s) missing from a node, e.g. {Sample(lost)}");
        }

        if (vanished.Count > 0)
        {
            problems.Add($"{vanished.Count} acknowledged value(s) vanished without a rollback record, e.g. {Sample(vanished)}");
        }

        if (unexpected.Count > 0)
        {
            problems.Add($"{unexpected.Count} value(s) present that failed or were never written, e.g. {Sample(unexpected)}");
        }

        if (resurrected.Count > 0)
        {
            problems.Add($"{resurrected.Count} value(s) both rolled back and present, e.g. {Sample(resurrected)}");
        }

        if (diverged)
        {
            problems.Add("the nodes' data differ: " + string.Join("; ", nodes.Select(n => $"node{n.Index + 1}: {n.Values.Count} values, dbHash {n.DataHash}")));
        }

        if (oplogMismatches > 0)
        {
            problems.Add($"{oplogMismatches} oplog index(es) hold entries of different terms on different nodes");
        }

        if (splitBrain.Count > 0)
        {
            problems.Add("two masters reported in term(s) " + string.Join(", ", splitBrain));
        }

        return new ChaosReport
        {
            Seed = seed,
            WriteConcern = writeConcern,
            Attempted = results.Count,
            Acknowledged = acked.Count,
            Failed = failed.Count,
            Indeterminate = indeterminate.Count,
            IndeterminatePresent = indeterminate.Count(union.Contains),
            Lost = lost.Count,
            RolledBack = rolledBack.Count,
            Vanished = vanished.Count,
            Unexpected = unexpected.Count,
            Resurrected = resurrected.Count,
            Diverged = diverged,
            OplogMismatches = oplogMismatches,
            SplitBrainTerms = splitBrain,
            MaxTerm = masters.Count == 0 ? 0 : masters.Max(m => m.Term),
            Masters = masters.Distinct().Count(),
            Problems = problems,
        };
    }

    private static int CountOplogMismatches(IReadOnlyList<NodeSnapshot> nodes)
    {
        var mismatches = 0;
        foreach (var (index, term) in nodes[0].OplogTerms)
        {
            if (nodes.Skip(1).Any(n => n.OplogTerms.TryGetValue(index, out var other) && other != term))
            {
                mismatches++;
            }
        }

        for (var i = 1; i < nodes.Count; i++)
        {
            foreach (var (index, term) in nodes[i].OplogTerms)
            {
                if (!nodes[0].OplogTerms.ContainsKey(index) && nodes.Skip(i + 1).Any(n => n.OplogTerms.TryGetValue(index, out var other) && other != term))
                {
                    mismatches++;
                }
            }
        }

        return mismatches;
    }

    private static string Sample(IEnumerable<long> values) => string.Join(", ", values.Order().Take(5));
}
