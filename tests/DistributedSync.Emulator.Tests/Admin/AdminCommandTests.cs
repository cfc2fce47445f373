using System.Text.Json;
using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Server;
using Xunit;

namespace DistributedSync.Emulator.Tests.Admin;

public sealed class AdminCommandTests : IAsyncLifetime
{
    private InProcessServer _server = null!;
    private WireTestClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(cancellationToken: Ct);
        _client = await _server.ConnectAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task BuildInfo_reports_a_7_0_server()
    {
        var reply = await Run("buildInfo");
        var lower = await Run("buildinfo", database: "app");

        Assert.Equal("7.0.14", reply["version"].AsString);
        Assert.Equal(new BsonArray { 7, 0, 14, 0 }, reply["versionArray"]);
        Assert.Equal(40, reply["gitVersion"].AsString.Length);
        Assert.Equal(BsonInt32.Create(64), reply["bits"]);
        Assert.Equal(BsonInt32.Create(16_777_216), reply["maxBsonObjectSize"]);
        Assert.Equal(BsonBoolean.False, reply["debug"]);
        Assert.Equal("ok", reply[reply.Count - 1].Name);
        Assert.Equal(reply["version"], lower["version"]);
    }

    [Fact]
    public async Task GetParameter_answers_named_parameters_and_star()
    {
        var fcv = await Run(new BsonDocument { { "getParameter", 1 }, { "featureCompatibilityVersion", 1 } });
        var all = await Run(new BsonDocument("getParameter", "*"));
        var details = await Run(new BsonDocument { { "getParameter", new BsonDocument("showDetails", true) }, { "logLevel", 1 } });
        var unknown = await Run(new BsonDocument { { "getParameter", 1 }, { "noSuchParameter", 1 } });
        var elsewhere = await Run(new BsonDocument { { "getParameter", 1 }, { "logLevel", 1 } }, database: "app");

        Assert.Equal(["featureCompatibilityVersion", "ok"], fcv.Names);
        Assert.Equal(new BsonDocument("version", "7.0"), fcv["featureCompatibilityVersion"]);
        Assert.True(all.Count > 5);
        Assert.Equal(new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" }, all["authenticationMechanisms"]);
        Assert.Equal(new BsonDocument { { "value", 0 }, { "settableAtRuntime", true }, { "settableAtStartup", true } }, details["logLevel"]);
        Assert.Equal((72, "no option found to get"), (unknown["code"].AsInt32, unknown["errmsg"].AsString));
        Assert.Equal((13, "getParameter may only be run against the admin database."), (elsewhere["code"].AsInt32, elsewhere["errmsg"].AsString));
    }

    [Fact]
    public async Task GetCmdLineOpts_reports_argv_and_the_parsed_settings()
    {
        var reply = await Run("getCmdLineOpts");

        Assert.Equal(["argv", "parsed", "ok"], reply.Names);
        Assert.Equal(new BsonArray { "mongod" }, reply["argv"]);
        Assert.Equal(BsonInt32.Create(0), reply["parsed"].AsDocument["net"].AsDocument["port"]);
        Assert.StartsWith(Path.GetTempPath(), reply["parsed"].AsDocument["storage"].AsDocument["dbPath"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLog_lists_names_and_returns_json_lines()
    {
        var names = await Run(new BsonDocument("getLog", "*"));
        var global = await Run(new BsonDocument("getLog", "global"));
        var warnings = await Run(new BsonDocument("getLog", "startupWarnings"));
        var unknown = await Run(new BsonDocument("getLog", "nope"));

        Assert.Equal(new BsonArray { "global", "startupWarnings" }, names["names"]);
        var lines = global["log"].AsArray.Select(v => v.AsString).ToList();
        Assert.Contains(lines, l => l.Contains("\"Waiting for connections\"", StringComparison.Ordinal));
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        Assert.True(global["totalLinesWritten"].ToInt64() >= lines.Count);
        Assert.Contains("Access control is not enabled", Assert.Single(warnings["log"].AsArray).AsString, StringComparison.Ordinal);
        Assert.Equal(96, unknown["code"].AsInt32);
    }

    [Fact]
    public async Task Diagnostics_describe_the_host_and_the_connection()
    {
        var host = await Run("hostInfo");
        var uri = await Run("whatsmyuri");
        var status = await Run("connectionStatus");

        Assert.True(host["system"].AsDocument["numCores"].AsInt32 >= 1);
        Assert.Equal("Linux", host["os"].AsDocument["type"].AsString);
        Assert.StartsWith("127.0.0.1:", uri["you"].AsString, StringComparison.Ordinal);
        Assert.Equal(
            new BsonDocument { { "authenticatedUsers", new BsonArray() }, { "authenticatedUserRoles", new BsonArray() } },
            status["authInfo"]);
    }

    [Fact]
    public async Task ServerStatus_counts_connections_and_commands()
    {
        await using var second = await _server.ConnectAsync(Ct);
        await second.CommandAsync("admin", new BsonDocument("ping", 1), Ct);
        var before = await Run("serverStatus");
        await Run("ping");
        await Run("ping");
        var after = await Run("serverStatus");

        Assert.Equal("mongod", before["process"].AsString);
        Assert.Equal("7.0.14", before["version"].AsString);
        Assert.Equal((long)Environment.ProcessId, before["pid"].AsInt64);
        Assert.EndsWith(":" + _server.Port, before["host"].AsString, StringComparison.Ordinal);
        Assert.Equal(BsonType.Double, before["uptime"].Type);
        Assert.Equal(BsonType.Int64, before["uptimeMillis"].Type);
        Assert.Equal(BsonType.DateTime, before["localTime"].Type);
        var connections = before["connections"].AsDocument;
        Assert.Equal(2, connections["current"].AsInt32);
        Assert.Equal(2, connections["totalCreated"].AsInt32);
        Assert.True(connections["available"].AsInt32 > 1000);
        Assert.Equal(3, after["opcounters"].AsDocument["command"].AsInt64 - before["opcounters"].AsDocument["command"].AsInt64);
        Assert.True(after["network"].AsDocument["numRequests"].AsInt64 > before["network"].AsDocument["numRequests"].AsInt64);

        var trimmed = await Run(new BsonDocument { { "serverStatus", 1 }, { "opcounters", 0 } });
        Assert.False(trimmed.Contains("opcounters"));
        Assert.True(trimmed.Contains("connections"));
    }

    [Fact]
    public async Task EndSessions_announces_the_session_ids()
    {
        var ended = new List<BsonDocument>();
        _server.Host.State.SessionsEnded += ids => ended.AddRange(ids);
        var lsid = new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid()));

        var reply = await Run(new BsonDocument("endSessions", new BsonArray { lsid }));
        var kill = await Run(new BsonDocument("killSessions", new BsonArray { lsid }));
        var bad = await Run(new BsonDocument("endSessions", 1));

        Assert.Equal(new BsonDouble(1.0), reply["ok"]);
        Assert.Equal(new BsonDouble(1.0), kill["ok"]);
        Assert.Equal([lsid, lsid], ended);
        Assert.Equal(14, bad["code"].AsInt32);
    }

    [Fact]
    public async Task Generic_arguments_are_accepted_and_ignored()
    {
        var reply = await Run(new BsonDocument
        {
            { "ping", 1 },
            { "lsid", new BsonDocument("id", BsonBinaryData.FromGuid(Guid.NewGuid())) },
            { "$clusterTime", new BsonDocument("clusterTime", new BsonTimestamp(1, 1)) },
            { "$readPreference", new BsonDocument("mode", "primaryPreferred") },
            { "apiVersion", "1" },
            { "apiStrict", false },
            { "apiDeprecationErrors", false },
            { "comment", "hi" },
        });

        Assert.Equal(["ok"], reply.Names);
    }

    [Fact]
    public async Task ListCommands_and_startSession_answer()
    {
        var commands = (await Run("listCommands"))["commands"].AsDocument;
        var session = await Run("startSession");

        Assert.False(commands["hello"].AsDocument["requiresAuth"].AsBoolean);
        Assert.True(commands["serverStatus"].AsDocument["requiresAuth"].AsBoolean);
        Assert.True(commands["getLog"].AsDocument["adminOnly"].AsBoolean);
        Assert.Equal(BsonBinarySubtype.Uuid, session["id"].AsDocument["id"].As<BsonBinaryData>().Subtype);
        Assert.Equal(30, session["timeoutMinutes"].AsInt32);
    }

    private Task<BsonDocument> Run(string command, string database = "admin") => Run(new BsonDocument(command, 1), database);

    private Task<BsonDocument> Run(BsonDocument command, string database = "admin") => _client.CommandAsync(database, command, Ct);
}
