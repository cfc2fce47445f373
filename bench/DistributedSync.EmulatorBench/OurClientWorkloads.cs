using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Mongo;

namespace DistributedSync.EmulatorBench;

/// <summary>The three workloads through our client (<see cref="MongoClient"/>), each on a fresh collection.</summary>
internal sealed class OurClientWorkloads(string connectionString, string database) : IAsyncDisposable
{
    private readonly MongoClient _client = new(connectionString);

    /// <summary>
    /// <paramref name="total"/> single-document inserts (<c>insertOne</c>) from
    /// <paramref name="connections"/> concurrent callers; returns documents per second.
    /// </summary>
    public async Task<double> SingleInsertsAsync(string collectionName, int total, int connections)
    {
        var collection = await FreshAsync(collectionName);
        var perCaller = total / connections;

        // Opens the pool's connections before the clock starts (the Node.js side does the same).
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => _client.PingAsync()));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                await collection.InsertOneAsync(BenchDocuments.Fresh()).ConfigureAwait(false);
            }
        }));
        clock.Stop();
        await ExpectCountAsync(collection, perCaller * connections);
        return perCaller * connections / clock.Elapsed.TotalSeconds;
    }

    /// <summary><paramref name="batches"/> calls of <c>insertMany</c> with <paramref name="batchSize"/> documents each; documents per second.</summary>
    public async Task<double> BatchedInsertsAsync(string collectionName, int batches, int batchSize)
    {
        var collection = await FreshAsync(collectionName);
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            var documents = new BsonDocument[batchSize];
            for (var i = 0; i < batchSize; i++)
            {
                documents[i] = BenchDocuments.Fresh();
            }

            await collection.InsertManyAsync(documents).ConfigureAwait(false);
        }

        clock.Stop();
        await ExpectCountAsync(collection, (long)batches * batchSize);
        return (long)batches * batchSize / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Reads every document of the collection with <c>find({})</c>; documents per second.</summary>
    /// <param name="batchSize">The cursor's batch size, or null for the server's default (101, then 16 MiB per getMore).</param>
    public async Task<double> ScanAsync(string collectionName, long expected, int? batchSize)
    {
        var collection = _client.GetDatabase(database).GetCollection(collectionName);
        var clock = Stopwatch.StartNew();
        long count = 0;
        await foreach (var document in await collection.FindAsync([], new FindOptions { BatchSize = batchSize }).ConfigureAwait(false))
        {
            if (document.Count > 0)
            {
                count++;
            }
        }

        clock.Stop();
        if (count != expected)
        {
            throw new InvalidOperationException($"The scan of {collectionName} returned {count} documents, expected {expected}.");
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    public Task DropAsync(string collectionName) => _client.GetDatabase(database).DropCollectionAsync(collectionName);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private async Task<MongoCollection> FreshAsync(string name)
    {
        var db = _client.GetDatabase(database);
        await db.DropCollectionAsync(name).ConfigureAwait(false);
        return db.GetCollection(name);
    }

    private static async Task ExpectCountAsync(MongoCollection collection, long expected)
    {
        var count = await collection.CountDocumentsAsync([]).ConfigureAwait(false);
        if (count != expected)
        {
            throw new InvalidOperationException($"{collection} holds {count} documents after the workload, expected {expected}.");
        }
    }
}
