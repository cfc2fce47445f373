using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace DistributedSync.Emulator.Tests.Interop;

/// <summary>A server plus a private HOME for mongosh (so it writes no history or logs into the repository).</summary>
public sealed class MongoshFixture : InteropServerFixture
{
    private string? _home;

    /// <summary>Why mongosh cannot run (node or the package missing), or null.</summary>
    public string? SkipReason { get; private set; }

    internal NodeInterop? Node { get; private set; }

    /// <summary>The HOME mongosh runs with: telemetry off, deleted afterwards.</summary>
    public string Home => _home ?? throw new InvalidOperationException("Not initialized.");

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        Node = NodeInterop.Find("mongosh", out var missing);
        if (Node is null)
        {
            SkipReason = missing;
            return;
        }

        _home = Path.Combine(Path.GetTempPath(), "distsync-mongosh-" + Guid.NewGuid().ToString("N"));
        var config = Path.Combine(_home, ".mongodb", "mongosh");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "config"), """{"enableTelemetry":false}""", TestContext.Current.CancellationToken);
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_home is not null && Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }
}

/// <summary>
/// mongosh 2.12 (tests/interop) against the server: <c>mongosh --quiet URI --eval ...</c> as a
/// user would run it, asserting on what it prints. Each test works in its own database.
/// </summary>
public sealed partial class MongoshTests(MongoshFixture fixture) : IClassFixture<MongoshFixture>
{
    private const string? Plain = null;
    private const string Relaxed = "relaxed";
    private const string Canonical = "canonical";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Show_dbs_lists_a_database_with_its_size()
    {
        var db = NewDatabaseName();

        var output = await ShellAsync(db, Plain, "db.c.insertOne({a: 1})", "show dbs");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => Regex.IsMatch(l, "^" + Regex.Escape(db) + @"\s+\d+(\.\d+)? (B|KiB|MiB)$"));
        Assert.All(lines, l => Assert.Matches(@"^\S+\s+\d+(\.\d+)? (B|KiB|MiB|GiB)$", l));
    }

    [Fact]
    public async Task Show_collections_lists_the_names_in_order()
    {
        var db = NewDatabaseName();

        var output = await ShellAsync(db, Plain, "db.zeta.insertOne({}); db.alpha.insertOne({}); db.createCollection('mid')", "show collections");

        Assert.Equal(["alpha", "mid", "zeta"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Find_prints_the_documents_in_shell_syntax()
    {
        var db = NewDatabaseName();

        var plain = await ShellAsync(db, Plain, "db.c.insertMany([{_id: 2, s: 'b', n: 2.5}, {_id: 1, s: 'a', tags: ['x']}])", "db.c.find().sort({_id: 1})");
        var relaxed = await ShellAsync(db, Relaxed, "db.c.find({}, {tags: 0}).sort({_id: -1}).toArray()");

        Assert.Equal("[ { _id: 1, s: 'a', tags: [ 'x' ] }, { _id: 2, s: 'b', n: 2.5 } ]", Normalize(plain));
        using var parsed = JsonDocument.Parse(relaxed);
        Assert.Equal("""[{"_id":2,"s":"b","n":2.5},{"_id":1,"s":"a"}]""", JsonSerializer.Serialize(parsed.RootElement));
    }

    [Fact]
    public async Task Find_over_more_than_twenty_documents_pages_with_it()
    {
        var db = NewDatabaseName();

        var output = await ShellAsync(db, Plain, "db.c.insertMany(Array.from({length: 25}, (_, i) => ({_id: i})))", "db.c.find().sort({_id: 1})");

        var ids = IdPattern().Matches(output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 20), ids);
        Assert.Contains("Type \"it\" for more", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountDocuments_prints_the_count()
    {
        var db = NewDatabaseName();

        var one = await ShellAsync(db, Plain, "db.c.insertMany([{k: 1}, {k: 2}, {k: 2}])", "db.c.countDocuments()");
        var several = await ShellAsync(db, Plain, "[db.c.countDocuments({k: 2}), db.none.countDocuments(), db.c.countDocuments({}, {skip: 1})]");

        Assert.Equal("3", one.Trim());
        Assert.Equal("[ 2, 0, 2 ]", Normalize(several));
    }

    [Fact]
    public async Task InsertOne_reports_the_id_and_stores_the_document()
    {
        var db = NewDatabaseName();

        var plain = await ShellAsync(db, Plain, "db.c.insertOne({_id: 1, a: 'x'})");
        var relaxed = await ShellAsync(db, Relaxed, "[db.c.insertOne({_id: 'two', when: ISODate('2024-01-02T03:04:05Z'), big: NumberLong('9007199254740993')}), db.c.insertOne({a: 'y'})]");
        var stored = await ShellAsync(db, Canonical, "db.c.find({_id: {$in: [1, 'two']}}).sort({_id: 1}).toArray()");

        Assert.Equal("{ acknowledged: true, insertedId: 1 }", Normalize(plain));
        using (var results = JsonDocument.Parse(relaxed))
        {
            Assert.Equal("""{"acknowledged":true,"insertedId":"two"}""", JsonSerializer.Serialize(results.RootElement[0]));
            Assert.Matches("^[0-9a-f]{24}$", results.RootElement[1].GetProperty("insertedId").GetProperty("$oid").GetString());
        }

        Assert.Equal(
            """[{"_id":{"$numberInt":"1"},"a":"x"},{"_id":"two","when":{"$date":{"$numberLong":"1704164645000"}},"big":{"$numberLong":"9007199254740993"}}]""",
            Compact(stored));
    }

    [Fact]
    public async Task UpdateOne_reports_counts_and_changes_the_document()
    {
        var db = NewDatabaseName();

        var plain = await ShellAsync(db, Plain, "db.c.insertOne({_id: 1, n: 1, tags: []})", "db.c.updateOne({_id: 1}, {$inc: {n: 5}, $push: {tags: 'new'}})");
        var relaxed = await ShellAsync(db, Relaxed, "[db.c.updateOne({_id: 404}, {$set: {n: 0}}), db.c.updateOne({_id: 7}, {$set: {n: 7}}, {upsert: true}), db.c.find().sort({_id: 1}).toArray()]");

        // Counts print as plain numbers: mongod sends them as int32 (an int64 would print as Long('1')).
        Assert.Equal("{ acknowledged: true, insertedId: null, matchedCount: 1, modifiedCount: 1, upsertedCount: 0 }", Normalize(plain));
        using var results = JsonDocument.Parse(relaxed);
        Assert.Equal("""{"acknowledged":true,"insertedId":null,"matchedCount":0,"modifiedCount":0,"upsertedCount":0}""", JsonSerializer.Serialize(results.RootElement[0]));
        Assert.Equal("""{"acknowledged":true,"insertedId":7,"matchedCount":0,"modifiedCount":0,"upsertedCount":1}""", JsonSerializer.Serialize(results.RootElement[1]));
        Assert.Equal("""[{"_id":1,"n":6,"tags":["new"]},{"_id":7,"n":7}]""", JsonSerializer.Serialize(results.RootElement[2]));
    }

    [Fact]
    public async Task A_server_error_is_printed_with_its_code_and_fails_the_run()
    {
        var db = NewDatabaseName();

        var run = await RunAsync(db, Relaxed, "db.c.createIndex({k: 1}, {unique: true}); db.c.insertOne({k: 1})", "db.c.insertOne({k: 1})");

        Assert.Equal(1, run.ExitCode);
        using var error = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal(11000, error.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("MongoServerError", error.RootElement.GetProperty("name").GetString());
        Assert.StartsWith("E11000 duplicate key error collection: " + db + ".c index: k_1 dup key: { k: 1 }", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string NewDatabaseName() => "distsync_sh_" + Guid.NewGuid().ToString("N")[..10];

    // mongosh's inspect output may wrap long values over lines; the tests compare it on one line.
    private static string Normalize(string output) => WhitespaceRun().Replace(output.Trim(), " ");

    private static string Compact(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(parsed.RootElement);
    }

    private async Task<string> ShellAsync(string database, string? json, params string[] scripts)
    {
        var run = await RunAsync(database, json, scripts);
        Assert.True(run.ExitCode == 0, $"mongosh {string.Join(" | ", scripts)}: {run.Describe()}{fixture.Diagnostics}");
        return run.StandardOutput;
    }

    private async Task<NodeRun> RunAsync(string database, string? json, params string[] scripts)
    {
        if (fixture.SkipReason is not null)
        {
            Assert.Skip(fixture.SkipReason);
        }

        var arguments = new List<string>
        {
            Path.Combine(fixture.Node!.InteropDirectory, "node_modules", "mongosh", "bin", "mongosh.js"),
            "--quiet",
            "--norc",
        };
        if (json is not null)
        {
            arguments.Add("--json=" + json);
        }

        arguments.Add(fixture.ConnectionString);
        arguments.AddRange(["--eval", "use " + database]);
        foreach (var script in scripts)
        {
            arguments.AddRange(["--eval", script]);
        }

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = fixture.Home,
            ["USERPROFILE"] = fixture.Home,
            ["NO_COLOR"] = "1",
        };
        return await fixture.Node.RunAsync(arguments, environment, Deadline, TestContext.Current.CancellationToken);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex(@"_id: (\d+)")]
    private static partial Regex IdPattern();
}
