using System.Globalization;
using System.Text;
using DistributedSync.TestKit.Chaos;
using Spectre.Console;

namespace DistributedSync.Chaos;

/// <summary>The per-schedule table and the totals line of a chaos run.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers =
        ["seed", "w", "faults", "attempted", "acked", "failed", "indet. (present)", "lost", "rolled back", "vanished", "unexpected", "diverged", "split-brain terms", "max term", "converged", "verdict"];

    public static Table Build(IReadOnlyList<ChaosReport> reports)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in Headers)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var report in reports)
        {
            table.AddRow(Cells(report).Select(c => Markup.Escape(c)).ToArray());
        }

        return table;
    }

    public static string Totals(IReadOnlyList<ChaosReport> reports)
        => string.Create(CultureInfo.InvariantCulture,
            $"{reports.Count} schedule(s): {reports.Count(r => r.Passed)} passed, {reports.Count(r => !r.Passed)} failed; "
            + $"{reports.Sum(r => r.Attempted)} writes attempted, {reports.Sum(r => r.Acknowledged)} acknowledged, {reports.Sum(r => r.Failed)} failed, {reports.Sum(r => r.Indeterminate)} indeterminate; "
            + $"majority-acknowledged lost: {reports.Where(r => r.WriteConcern == "majority").Sum(r => r.Lost)}; w=1 rolled back: {reports.Where(r => r.WriteConcern == "1").Sum(r => r.RolledBack)}, vanished: {reports.Sum(r => r.Vanished)}; "
            + $"diverged: {reports.Count(r => r.Diverged)}; split-brain terms: {reports.Sum(r => r.SplitBrainTerms.Count)}; fault episodes: {reports.Sum(r => r.Episodes)}");

    public static string Markdown(IReadOnlyList<ChaosReport> reports)
    {
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", Headers)).AppendLine(" |");
        text.Append('|').Append(string.Concat(Enumerable.Repeat("---:|", Headers.Length))).AppendLine();
        foreach (var report in reports)
        {
            text.Append("| ").Append(string.Join(" | ", Cells(report))).AppendLine(" |");
        }

        text.AppendLine().AppendLine(Totals(reports));
        return text.ToString();
    }

    private static string[] Cells(ChaosReport r) =>
    [
        r.Seed.ToString(CultureInfo.InvariantCulture),
        r.WriteConcern,
        r.Episodes.ToString(CultureInfo.InvariantCulture),
        r.Attempted.ToString(CultureInfo.InvariantCulture),
        r.Acknowledged.ToString(CultureInfo.InvariantCulture),
        r.Failed.ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"{r.Indeterminate} ({r.IndeterminatePresent})"),
        r.Lost.ToString(CultureInfo.InvariantCulture),
        r.RolledBack.ToString(CultureInfo.InvariantCulture),
        r.Vanished.ToString(CultureInfo.InvariantCulture),
        r.Unexpected.ToString(CultureInfo.InvariantCulture),
        r.Diverged ? "yes" : "no",
        r.SplitBrainTerms.Count == 0 ? "-" : string.Join(",", r.SplitBrainTerms),
        r.MaxTerm.ToString(CultureInfo.InvariantCulture),
        r.Converged ? string.Create(CultureInfo.InvariantCulture, $"{r.ConvergenceTime.TotalSeconds:0.0}s") : "NO",
        r.Passed ? "pass" : "FAIL",
    ];
}
