using System.Text.Json;
using Xunit;

namespace DistributedSync.Emulator.Tests.Interop;

/// <summary>
/// Runs <c>tests/interop/emulator/driver-suite.mjs</c> (the official Node.js driver, pinned by
/// tests/interop) once against the class's server and reports each of its checks as its own test
/// case.
/// </summary>
public sealed class DriverSuiteFixture : InteropServerFixture
{
    /// <summary>The checks of driver-suite.mjs, in its order (a test verifies the list matches the script).</summary>
    public static readonly string[] CheckNames =
    [
        "insertOne.generated-id",
        "insertOne.given-ids-of-any-type",
        "insertMany.with-and-without-id",
        "find.filter-sort-projection",
        "find.skip-limit",
        "find.more-operators-and-projections",
        "find.sort-across-types-and-arrays",
        "update.more-operators",
        "cursor.getMore-over-101-documents",
        "cursor.close-kills-it",
        "updateOne.operators",
        "updateMany",
        "update.upsert",
        "replaceOne",
        "delete.one-and-many",
        "findOneAndUpdate.before-and-after",
        "bulkWrite.mixed",
        "index.unique-duplicate-is-11000",
        "index.list-and-drop",
        "aggregate.match-group-sort",
        "aggregate.project-unwind-count",
        "capped.create-and-trim",
        "capped.tailable-awaitData-cursor",
        "error.rename-missing-collection-is-26",
        "error.create-existing-collection-is-48",
        "error.unknown-command-is-59",
        "error.malformed-queries",
        "count.countDocuments-estimated-distinct",
        "list.collections-and-databases",
        "drop.collection-and-database",
        "stats.dbStats-collStats-dbHash",
        "reply.bson-types-of-counts-and-ids",
    ];

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(240);
    private readonly Dictionary<string, (bool Ok, string Error)> _results = new(StringComparer.Ordinal);

    /// <summary>Why the suite could not run (node or the driver package missing), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The check names the script itself reported in its summary line.</summary>
    public IReadOnlyList<string> ReportedNames { get; private set; } = [];

    /// <summary>The whole run, for assertion messages.</summary>
    public string Transcript { get; private set; } = string.Empty;

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        var node = NodeInterop.Find("mongodb", out var missing);
        if (node is null)
        {
            SkipReason = missing;
            return;
        }

        await base.InitializeAsync();
        var run = await node.RunAsync(
            [Path.Combine(node.InteropDirectory, "emulator", "driver-suite.mjs"), ConnectionString],
            environment: null,
            Deadline,
            TestContext.Current.CancellationToken);
        Transcript = run.Describe();
        if (run.ExitCode != 0)
        {
            return;
        }

        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue; // not a result line (e.g. a runtime warning)
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("summary", out var summary))
            {
                ReportedNames = [.. summary.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)];
            }
            else
            {
                var ok = root.GetProperty("ok").GetBoolean();
                _results[root.GetProperty("check").GetString()!] = (ok, ok ? string.Empty : root.GetProperty("error").GetString()!);
            }
        }
    }

    /// <summary>Skips when the suite could not run; otherwise the named check's outcome (fails when it did not report).</summary>
    public (bool Ok, string Error) Result(string check)
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }

        Assert.True(_results.TryGetValue(check, out var result), $"driver-suite.mjs reported nothing for '{check}'.\n{Transcript}{Diagnostics}");
        return result;
    }
}

/// <summary>The official Node.js driver's view of the server, one test case per check of driver-suite.mjs.</summary>
public sealed class NodeDriverSuiteTests(DriverSuiteFixture suite) : IClassFixture<DriverSuiteFixture>
{
    public static TheoryData<string> Checks => new(DriverSuiteFixture.CheckNames);

    [Theory]
    [MemberData(nameof(Checks))]
    public void Driver_check_passes(string check)
    {
        var (ok, error) = suite.Result(check);

        Assert.True(ok, $"{check}: {error}");
    }

    [Fact]
    public void The_script_runs_exactly_the_listed_checks()
    {
        suite.Result(DriverSuiteFixture.CheckNames[0]);

        Assert.Equal(DriverSuiteFixture.CheckNames, suite.ReportedNames);
    }
}
