using DistributedSync.Bson;
using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>
/// The client sample shown in README.md, run against the integration servers (an emulator
/// process, or the real servers of <c>DISTSYNC_TEST_MONGODB_URIS</c>). The body of
/// <see cref="RunSampleAsync"/> is the README text, verbatim: keep the two in step.
/// </summary>
public sealed class ReadmeSampleTests(IntegrationServers servers) : IClassFixture<IntegrationServers>
{
    [Fact]
    public async Task The_README_sample_inserts_queries_and_tails_a_capped_collection()
    {
        foreach (var server in servers.Servers)
        {
            var databaseName = "distsync_readme_" + Guid.NewGuid().ToString("N")[..10];
            try
            {
                var (bigOrders, tailed) = await RunSampleAsync(server.ConnectionString, databaseName);

                Assert.Equal(
                    [new BsonDocument { { "sku", "pear" }, { "qty", 12 } }, new BsonDocument { { "sku", "apple" }, { "qty", 5 } }],
                    bigOrders);
                Assert.Equal(["started", "appended"], tailed);
            }
            finally
            {
                await IntegrationServers.DropQuietlyAsync(server.ConnectionString, databaseName);
            }
        }
    }

    /// <summary>The README sample: connect, insert, update, query, and tail a capped collection.</summary>
    private static async Task<(List<BsonDocument> BigOrders, List<string> Tailed)> RunSampleAsync(string connectionString, string databaseName)
    {
        await using var client = new MongoClient(connectionString);
        var db = client.GetDatabase(databaseName);

        // Insert, update and query.
        var orders = db.GetCollection("orders");
        await orders.InsertManyAsync(
        [
            new BsonDocument { { "sku", "apple" }, { "qty", 5 } },
            new BsonDocument { { "sku", "pear" }, { "qty", 2 } },
            new BsonDocument { { "sku", "apple" }, { "qty", 1 } },
        ]);
        await orders.UpdateOneAsync(new BsonDocument("sku", "pear"), new BsonDocument("$inc", new BsonDocument("qty", 10)));
        var bigOrders = await (await orders.FindAsync(
            new BsonDocument("qty", new BsonDocument("$gte", 2)),
            new FindOptions
            {
                Sort = new BsonDocument("qty", -1),
                Projection = new BsonDocument { { "_id", 0 }, { "sku", 1 }, { "qty", 1 } },
            })).ToListAsync();
        // bigOrders: { sku: "pear", qty: 12 }, { sku: "apple", qty: 5 }

        // Tail a capped collection: the cursor waits for documents appended after it was opened.
        await db.CreateCollectionAsync("events", new CreateCollectionOptions { Capped = true, MaxSize = 1 << 20 });
        var events = db.GetCollection("events");
        await events.InsertOneAsync(new BsonDocument("msg", "started"));
        var tail = await events.FindAsync(
            new BsonDocument(),
            new FindOptions { CursorType = CursorType.TailableAwait, MaxAwaitTime = TimeSpan.FromSeconds(1) });
        var tailed = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in tail.WithCancellation(stop.Token))
        {
            tailed.Add(e["msg"].AsString);
            if (tailed.Count == 1)
            {
                await events.InsertOneAsync(new BsonDocument("msg", "appended"));
            }
            else
            {
                break; // leaving the loop kills the server-side cursor
            }
        }

        return (bigOrders, tailed);
    }
}
