using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Tests.Server;
using DistributedSync.TestKit.Processes;
using Microsoft.Data.Sqlite;
using Xunit;

namespace DistributedSync.Emulator.Tests.Durability;

/// <summary>
/// An acknowledged write survives kill -9 of the emulator process: concurrent writers insert a
/// stream of documents and record which were acknowledged; the process is killed (SIGKILL) once a
/// seeded random number of documents has been acknowledged, with writes still in flight; after a
/// restart on the same data directory every acknowledged document is there, intact. Several
/// rounds on the same data. <c>DISTSYNC_DURABILITY_SEED</c> replays a run.
/// </summary>
public sealed class KillNineDurabilityTests
{
    private const string SeedVariable = "DISTSYNC_DURABILITY_SEED";
    private const int Rounds = 4;
    private const int Writers = 6;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_acknowledged_insert_survives_kill_9_and_a_restart_intact()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next(1, int.MaxValue);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"Durability seed {seed} ({SeedVariable}={seed} replays the kill points).");
        var random = new Random(seed);

        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorProcessOptions { ExtraArguments = ["--quiet"] }, Ct);

        // Ids that must be present after every restart (acknowledged, or seen committed after a
        // restart) and ids that were seen absent after a restart (they must never appear later).
        var mustExist = new HashSet<long>();
        var mustNotExist = new HashSet<long>();
        var inFlightTotal = 0;
        var inFlightFound = 0;
        for (var round = 1; round <= Rounds; round++)
        {
            var target = random.Next(20, 4_000);
            var acknowledgedSoFar = 0;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, Writers)
                .Select(w => new DurabilityWriter(round, w, emulator.Port, new Random(random.Next()), journaled: w == 0, count =>
                {
                    if (Interlocked.Add(ref acknowledgedSoFar, count) >= target)
                    {
                        reached.TrySetResult();
                    }
                }))
                .ToList();
            var running = writers.Select(w => Task.Run(() => w.RunAsync(Ct), Ct)).ToList();
            var all = Task.WhenAll(running);
            await Task.WhenAny(reached.Task, all).WaitAsync(Deadline, Ct);
            if (!reached.Task.IsCompleted)
            {
                await all; // surfaces a writer's failure
                Assert.Fail($"Round {round}: the writers stopped before {target} documents were acknowledged.\n{emulator.Diagnostics}");
            }

            // kill -9 while the writers keep inserting.
            emulator.Kill();
            await all.WaitAsync(Deadline, Ct);
            Assert.All(writers, w => Assert.NotEqual("wrote its maximum", w.StopReason));

            var acknowledged = writers.SelectMany(w => w.Acknowledged).ToHashSet();
            var unacknowledged = writers.SelectMany(w => w.Unacknowledged).ToHashSet();
            Assert.True(acknowledged.Count >= target, $"Round {round}: {acknowledged.Count} acknowledged, fewer than the {target} that triggered the kill.");
            mustExist.UnionWith(acknowledged);

            await emulator.RestartAsync(cancellationToken: Ct);
            var stored = await ReadAllAsync(emulator.Port);

            var missing = mustExist.Where(id => !stored.ContainsKey(id)).Order().ToList();
            Assert.True(missing.Count == 0, $"Round {round} (seed {seed}): {missing.Count} acknowledged documents are missing after kill -9 and restart, e.g. {string.Join(", ", missing.Take(20))}.");
            var ghosts = stored.Keys.Where(id => !mustExist.Contains(id) && !unacknowledged.Contains(id)).Order().ToList();
            Assert.True(ghosts.Count == 0, $"Round {round}: {ghosts.Count} documents are stored that were never sent or were absent after an earlier restart, e.g. {string.Join(", ", ghosts.Take(20))}.");
            foreach (var (id, document) in stored)
            {
                var expected = DurableDocuments.Create(id);
                Assert.True(
                    BsonCodec.ToBytes(expected).AsSpan().SequenceEqual(BsonCodec.ToBytes(document)),
                    $"Round {round}: document {id} is corrupt.\nexpected: {expected}\nstored:   {document}");
            }

            var found = unacknowledged.Count(stored.ContainsKey);
            inFlightTotal += unacknowledged.Count;
            inFlightFound += found;
            mustExist.UnionWith(unacknowledged.Where(stored.ContainsKey));
            mustNotExist.UnionWith(unacknowledged.Where(id => !stored.ContainsKey(id)));
            Assert.DoesNotContain(stored.Keys, mustNotExist.Contains);
            output?.WriteLine($"Round {round}: kill -9 after {target} acknowledged; {acknowledged.Count} acknowledged documents all present; "
                + $"{unacknowledged.Count} in flight at the kill, {found} of them stored; {stored.Count} documents in total.");
        }

        output?.WriteLine($"{Rounds} rounds: {mustExist.Count} documents verified; {inFlightFound} of {inFlightTotal} unacknowledged in-flight documents were stored (either is allowed).");

        // A clean stop, then SQLite's own check of the file that went through the kills.
        Assert.Equal(0, await emulator.StopAsync(cancellationToken: Ct));
        var file = Assert.Single(Directory.GetFiles(emulator.DbPath, "*.sqlite"));
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", command.ExecuteScalar() as string);
        }
    }

    /// <summary>Every document of the collection by <c>_id</c>, read through find and getMore.</summary>
    private static async Task<Dictionary<long, BsonDocument>> ReadAllAsync(int port)
    {
        await using var client = await WireTestClient.ConnectAsync(port, Ct);
        var stored = new Dictionary<long, BsonDocument>();
        var reply = await client.CommandAsync(DurableDocuments.Database, new BsonDocument
        {
            { "find", DurableDocuments.Collection },
            { "filter", new BsonDocument() },
            { "sort", new BsonDocument("_id", 1) },
            { "batchSize", 2_000 },
        }, Ct);
        for (var batches = 0; ; batches++)
        {
            Assert.True(reply["ok"].ToDouble() == 1, "Reading the documents back failed: " + reply);
            Assert.True(batches < 10_000, "The cursor does not end.");
            var cursor = reply["cursor"].AsDocument;
            foreach (var value in (cursor.GetValueOrDefault("firstBatch") ?? cursor["nextBatch"]).AsArray)
            {
                var document = value.AsDocument;
                Assert.True(stored.TryAdd(document["_id"].AsInt64, document), "Two documents share the _id " + document["_id"]);
            }

            var id = cursor["id"].ToInt64();
            if (id == 0)
            {
                return stored;
            }

            reply = await client.CommandAsync(DurableDocuments.Database, new BsonDocument { { "getMore", id }, { "collection", DurableDocuments.Collection }, { "batchSize", 2_000 } }, Ct);
        }
    }
}
