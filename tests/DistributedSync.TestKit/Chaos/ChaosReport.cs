using System.Globalization;
using System.Text;

namespace DistributedSync.TestKit.Chaos;

/// <summary>The outcome of one schedule: counts per class of write and the verdicts.</summary>
public sealed record ChaosReport
{
    /// <summary>The schedule's seed.</summary>
    public required int Seed { get; init; }

    /// <summary><c>majority</c> or <c>1</c>.</summary>
    public required string WriteConcern { get; init; }

    /// <summary>Fault episodes in the schedule.</summary>
    public int Episodes { get; init; }

    /// <summary>Writes attempted.</summary>
    public int Attempted { get; init; }

    /// <summary>Writes acknowledged (201).</summary>
    public int Acknowledged { get; init; }

    /// <summary>Writes that definitely failed.</summary>
    public int Failed { get; init; }

    /// <summary>Writes whose fate the client could not know.</summary>
    public int Indeterminate { get; init; }

    /// <summary>Indeterminate writes found in the final data.</summary>
    public int IndeterminatePresent { get; init; }

    /// <summary>Acknowledged writes missing from at least one node's final data.</summary>
    public int Lost { get; init; }

    /// <summary>Lost acknowledged writes found in a node's <c>rollback</c> collection.</summary>
    public int RolledBack { get; init; }

    /// <summary>Lost acknowledged writes found nowhere: they vanished silently.</summary>
    public int Vanished { get; init; }

    /// <summary>Values in the final data that were never acknowledged-or-pending: failed writes, or values never written.</summary>
    public int Unexpected { get; init; }

    /// <summary>Values both saved to <c>rollback</c> and present in the final data.</summary>
    public int Resurrected { get; init; }

    /// <summary>The nodes' data differ (sets or dbHash).</summary>
    public bool Diverged { get; init; }

    /// <summary>Oplog indexes at which two nodes hold entries of different terms.</summary>
    public int OplogMismatches { get; init; }

    /// <summary>Terms for which two different masters were reported.</summary>
    public IReadOnlyList<long> SplitBrainTerms { get; init; } = [];

    /// <summary>The highest term seen.</summary>
    public long MaxTerm { get; init; }

    /// <summary>Distinct (term, master) pairs seen.</summary>
    public int Masters { get; init; }

    /// <summary>Whether the cluster converged before the deadline after healing.</summary>
    public bool Converged { get; init; }

    /// <summary>How long convergence took after healing.</summary>
    public TimeSpan ConvergenceTime { get; init; }

    /// <summary>Problems found (empty when the run passed).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>What the fault injector did.</summary>
    public IReadOnlyList<string> FaultLog { get; init; } = [];

    /// <summary>Where the run's data and logs are (kept when it failed).</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>True when no verdict failed.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>A multi-line account for logs and assertion messages.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed} w={WriteConcern}: {(Passed ? "PASS" : "FAIL")}; ");
        text.Append(CultureInfo.InvariantCulture, $"attempted {Attempted}, acked {Acknowledged}, failed {Failed}, indeterminate {Indeterminate} ({IndeterminatePresent} present); ");
        text.Append(CultureInfo.InvariantCulture, $"lost {Lost} (rolled back {RolledBack}, vanished {Vanished}), unexpected {Unexpected}, resurrected {Resurrected}, diverged {Diverged}, oplog mismatches {OplogMismatches}; ");
        text.Append(CultureInfo.InvariantCulture, $"terms up to {MaxTerm}, {Masters} master(s), split-brain terms [{string.Join(", ", SplitBrainTerms)}]; converged {Converged} in {ConvergenceTime.TotalSeconds:0.0}s");
        foreach (var problem in Problems)
        {
            text.Append("\n  PROBLEM: ").Append(problem);
        }

        foreach (var line in FaultLog)
        {
            text.Append("\n  fault ").Append(line);
        }

        if (WorkDirectory is not null && !Passed)
        {
            text.Append("\n  data and logs kept in ").Append(WorkDirectory);
        }

        return text.ToString();
    }
}
