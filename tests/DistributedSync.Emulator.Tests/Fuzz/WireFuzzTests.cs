using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Server;
using DistributedSync.TestKit.Processes;
using Xunit;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>
/// Sends mutated and random messages to one emulator process over real sockets (see
/// <see cref="MessageMutator"/> and <see cref="FuzzRun"/>): the server must answer each with a
/// reply or close that connection, never crash, never stall a well-behaved connection, and never
/// change data no input pointed at. 100,000 inputs by default; <c>DISTSYNC_FUZZ_SEED</c> and
/// <c>DISTSYNC_FUZZ_INPUTS</c> replay or resize a run.
/// </summary>
public sealed class WireFuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutated_and_random_messages_never_crash_the_server_hang_a_connection_or_change_other_data()
    {
        var settings = FuzzSettings.FromEnvironment();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Fuzz seed {settings.Seed} ({FuzzSettings.SeedVariable}={settings.Seed} {FuzzSettings.InputsVariable}={settings.Inputs} replays this run), {settings.Workers} workers.");

        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorProcessOptions { ExtraArguments = ["--quiet"] }, Ct);
        ProtectedSnapshot before;
        await using (var setup = await WireTestClient.ConnectAsync(emulator.Port, Ct))
        {
            await ProtectedDatabase.SeedAsync(setup, Ct);
            before = await ProtectedDatabase.ReadAsync(setup, Ct);
        }

        Assert.Equal(ProtectedDatabase.DocumentCount, before.Documents.Count);
        using var canary = await CanaryConnection.ConnectAsync(emulator.Port, Ct);
        await canary.CheckAsync("before fuzzing", Ct);

        var run = new FuzzRun(settings, emulator.Port, canary);
        var clock = Stopwatch.StartNew();
        try
        {
            await run.RunAsync(Ct);
        }
        catch (FuzzFailureException ex)
        {
            Assert.Fail(ex.Message + "\n" + run.Stats.Summary(clock.Elapsed) + "\nprocess alive: " + !emulator.HasExited + "\n" + Tail(emulator));
        }

        clock.Stop();
        output?.WriteLine(run.Stats.Summary(clock.Elapsed));

        // The process is alive, still answers the canary and a new connection.
        Assert.False(emulator.HasExited, "The emulator process died during the fuzz run.\n" + Tail(emulator));
        await canary.CheckAsync("after the run", Ct);
        await using var after = await WireTestClient.ConnectAsync(emulator.Port, Ct);
        Assert.Equal(BsonBoolean.True, (await after.CommandAsync("admin", new BsonDocument("hello", 1), Ct))["isWritablePrimary"]);

        // The protected database is byte-for-byte what it was.
        var snapshot = await ProtectedDatabase.ReadAsync(after, Ct);
        Assert.Equal(before.Catalog, snapshot.Catalog);
        Assert.Equal(before.Documents.Count, snapshot.Documents.Count);
        Assert.Equal(before.Sha256, snapshot.Sha256);

        // Every input was resolved, and the mix exercised both answers and closes (about a third
        // of the inputs are answered and two thirds close their connection).
        Assert.Equal(settings.Inputs, run.Stats.Inputs);
        if (settings.Inputs >= 1_000)
        {
            Assert.True(run.Stats.Answered > settings.Inputs / 10, "Too few inputs were answered: " + run.Stats.Summary(clock.Elapsed));
            Assert.True(run.Stats.Closed > settings.Inputs / 10, "Too few inputs closed their connection: " + run.Stats.Summary(clock.Elapsed));
        }

        Assert.True(canary.Checks >= settings.Inputs / FuzzSettings.CanaryEvery, $"The canary ran {canary.Checks} times.");

        var assertions = emulator.OutputLines.Count(l => l.Contains("\"id\":21962", StringComparison.Ordinal));
        var connectionErrors = emulator.OutputLines.Count(l => l.Contains("\"id\":22989", StringComparison.Ordinal));
        output?.WriteLine($"Canary: {canary.Checks} hello checks, slowest {canary.SlowestAnswer.TotalMilliseconds:F0} ms. Server log: {assertions} command assertions (InternalError replies: {run.Stats.CountOf(1)}), {connectionErrors} unexpected connection errors.");
        foreach (var line in emulator.OutputLines.Where(l => l.Contains("\"id\":21962", StringComparison.Ordinal) || l.Contains("\"id\":22989", StringComparison.Ordinal)).Take(20))
        {
            output?.WriteLine(line);
        }
    }

    private static string Tail(EmulatorProcess emulator)
        => "emulator log (last 40 lines):\n" + string.Join('\n', emulator.OutputLines.TakeLast(40)) + "\nstderr:\n" + string.Join('\n', emulator.ErrorLines.TakeLast(40));
}
