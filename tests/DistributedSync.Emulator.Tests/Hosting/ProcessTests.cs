using System.Text.Json;
using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Server;
using DistributedSync.TestKit.Processes;
using Xunit;

namespace DistributedSync.Emulator.Tests.Hosting;

/// <summary>The emulator as a real process: startup line, lock, signals, exit codes.</summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task It_logs_Waiting_for_connections_with_the_real_port_and_serves_hello()
    {
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: Ct);

        var line = Assert.Single(emulator.OutputLines, l => l.Contains("\"Waiting for connections\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("I", json.RootElement.GetProperty("s").GetString());
        Assert.Equal("NETWORK", json.RootElement.GetProperty("c").GetString());
        Assert.Equal(23016, json.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("listener", json.RootElement.GetProperty("ctx").GetString());
        Assert.True(json.RootElement.GetProperty("t").GetProperty("$date").GetString()!.Length > 20);
        Assert.InRange(emulator.Port, 1, 65535);
        Assert.Equal(emulator.Port, json.RootElement.GetProperty("attr").GetProperty("port").GetInt32());
        Assert.All(emulator.OutputLines, l => JsonDocument.Parse(l).Dispose());

        await using var client = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        var hello = await client.CommandAsync("admin", new BsonDocument("hello", 1), Ct);
        Assert.Equal(BsonBoolean.True, hello["isWritablePrimary"]);
        Assert.Equal(1, hello["connectionId"].AsInt32);
    }

    [Fact]
    public async Task A_second_process_on_the_same_dbpath_is_refused_with_a_clear_message()
    {
        await using var first = await EmulatorProcess.StartAsync(cancellationToken: Ct);

        var (exitCode, stdout, stderr) = await EmulatorProcess.RunToExitAsync(["--port", "0", "--dbpath", first.DbPath], ExitTimeout, cancellationToken: Ct);

        Assert.Equal(100, exitCode);
        var message = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("DBPathInUse", message, StringComparison.Ordinal);
        Assert.Contains(first.DbPath, message, StringComparison.Ordinal);
        Assert.Contains("another emulator process", message, StringComparison.Ordinal);
        Assert.Contains("\"s\":\"E\"", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for connections", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_exits_0_and_releases_the_lock()
    {
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: Ct);

        // A client still connected: the server closes it first, leaving its side in TIME_WAIT.
        await using var connected = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        await connected.CommandAsync("admin", new BsonDocument("ping", 1), Ct);

        var exitCode = await emulator.StopAsync(cancellationToken: Ct);

        Assert.Equal(0, exitCode);
        Assert.Contains(emulator.OutputLines, l => l.Contains("\"Received signal\"", StringComparison.Ordinal) && l.Contains("\"signal\":15", StringComparison.Ordinal));
        Assert.Contains(emulator.OutputLines, l => l.Contains("\"Shutting down\"", StringComparison.Ordinal) && l.Contains("\"exitCode\":0", StringComparison.Ordinal));

        // The lock is released: the same data directory opens again, on the same port.
        var port = emulator.Port;
        await emulator.RestartAsync(cancellationToken: Ct);
        Assert.Equal(port, emulator.Port);
        await using var again = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        Assert.Equal(new BsonDouble(1.0), (await again.CommandAsync("admin", new BsonDocument("ping", 1), Ct))["ok"]);
    }

    [Fact]
    public async Task SIGINT_exits_0_too()
    {
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: Ct);

        await emulator.SendSignalAsync("INT", Ct);

        Assert.Equal(0, await emulator.WaitForExitAsync(ExitTimeout, Ct));
        Assert.Contains(emulator.OutputLines, l => l.Contains("\"signal\":2", StringComparison.Ordinal));
        Assert.Contains(emulator.OutputLines, l => l.Contains("\"Shutting down\"", StringComparison.Ordinal) && l.Contains("\"exitCode\":0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_process_can_be_restarted_on_its_data()
    {
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: Ct);
        var firstPid = emulator.ProcessId;

        emulator.Kill();
        Assert.True(emulator.HasExited);
        await emulator.RestartAsync(cancellationToken: Ct);

        Assert.NotEqual(firstPid, emulator.ProcessId);
        await using var client = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        Assert.Equal(new BsonDouble(1.0), (await client.CommandAsync("admin", new BsonDocument("ping", 1), Ct))["ok"]);
    }

    [Fact]
    public async Task A_paused_process_answers_only_after_it_is_resumed()
    {
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: Ct);
        await using var client = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        await client.CommandAsync("admin", new BsonDocument("ping", 1), Ct);

        await emulator.PauseAsync(Ct);
        var pending = client.CommandAsync("admin", new BsonDocument("ping", 1), Ct);
        var finished = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(500), Ct));
        Assert.NotSame(pending, finished);
        await emulator.ResumeAsync(Ct);

        Assert.Equal(new BsonDouble(1.0), (await pending)["ok"]);
    }

    [Fact]
    public async Task Bad_flags_exit_with_2()
    {
        var (exitCode, _, stderr) = await EmulatorProcess.RunToExitAsync(["--port", "0", "--replSet", "rs0"], ExitTimeout, cancellationToken: Ct);

        Assert.Equal(2, exitCode);
        Assert.Contains("Error parsing command line", stderr, StringComparison.Ordinal);
        Assert.Contains("--replSet", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_exits_with_48_and_one_line()
    {
        await using var first = await EmulatorProcess.StartAsync(cancellationToken: Ct);
        var dbPath = Path.Combine(Path.GetTempPath(), "distsync-port-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, _, stderr) = await EmulatorProcess.RunToExitAsync(
                ["--port", first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbpath", dbPath], ExitTimeout, cancellationToken: Ct);

            Assert.Equal(48, exitCode);
            var message = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("Address already in use", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dbPath, recursive: true);
        }
    }

    [Fact]
    public async Task The_root_user_can_authenticate_against_an_auth_process()
    {
        await using var emulator = await EmulatorProcess.StartAsync(EmulatorProcessOptions.WithRootUser("admin", "pa55"), Ct);
        await using var client = await WireTestClient.ConnectAsync(emulator.Port, Ct);

        Assert.Equal(13, (await client.CommandAsync("admin", new BsonDocument("serverStatus", 1), Ct))["code"].AsInt32);
        var auth = await new Auth.ScramTestClient("SCRAM-SHA-256", "admin", "pa55").AuthenticateAsync(client, Ct);

        Assert.Equal(new BsonDouble(1.0), auth["ok"]);
        Assert.StartsWith("mongodb://admin:pa55@127.0.0.1:", emulator.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void TestServers_reads_uris_separated_by_semicolons_or_whitespace()
    {
        Assert.Equal(["mongodb://a:1", "mongodb://b:2/?x=y", "mongodb://c:3"], TestServers.Parse(" mongodb://a:1 ; mongodb://b:2/?x=y ;\nmongodb://c:3"));
        Assert.Empty(TestServers.Parse(null));
        Assert.Empty(TestServers.Parse("  "));
    }
}
