using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Mongo;

namespace DistributedSync.SystemBench.Workload;

/// <summary>A baseline's figure: documents moved and the time it took.</summary>
internal sealed record BaselineResult(long Documents, double Seconds)
{
    public double Rate => Documents / Seconds;
}

/// <summary>
/// The physical-limit baselines, with our client straight to a node and no daemon in the path:
/// batched inserts of the benchmark documents, and a copy of a collection from one node to another
/// (find with batches on the source, insertMany on the target). They write into
/// <see cref="ScratchDatabase"/>, which the daemon does not replicate, and drop it afterwards.
/// </summary>
internal static class DirectBaselines
{
    public const string ScratchDatabase = "sysbench_scratch";

    /// <summary>insertMany of <paramref name="batchSize"/> documents at a time, <paramref name="total"/> in all, one caller.</summary>
    public static async Task<BaselineResult> InsertManyAsync(MongoClient client, long total, int batchSize, CancellationToken ct)
    {
        var collection = client.GetDatabase(ScratchDatabase).GetCollection("raw_inserts");
        await client.DropDatabaseAsync(ScratchDatabase, null, ct).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        for (long done = 0; done < total;)
        {
            var count = (int)Math.Min(batchSize, total - done);
            await collection.InsertManyAsync(BenchDocuments.BsonBatch((int)done + 1, count), new InsertManyOptions { IsOrdered = true }, ct).ConfigureAwait(false);
            done += count;
        }

        var result = new BaselineResult(total, Stopwatch.GetElapsedTime(start).TotalSeconds);
        await client.DropDatabaseAsync(ScratchDatabase, null, ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>Copies every document of <paramref name="database"/>.<paramref name="collection"/> from one node to the other's scratch database.</summary>
    public static async Task<BaselineResult> CopyAsync(MongoClient source, MongoClient target, string database, string collection, int batchSize, CancellationToken ct)
    {
        var into = target.GetDatabase(ScratchDatabase).GetCollection("raw_copy");
        await target.DropDatabaseAsync(ScratchDatabase, null, ct).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        long copied = 0;
        var batch = new List<BsonDocument>(batchSize);
        await using (var cursor = await source.GetDatabase(database).GetCollection(collection)
            .FindAsync(new BsonDocument(), new FindOptions { BatchSize = batchSize }, ct).ConfigureAwait(false))
        {
            await foreach (var document in cursor.WithCancellation(ct).ConfigureAwait(false))
            {
                batch.Add(document);
                if (batch.Count == batchSize)
                {
                    await into.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = true }, ct).ConfigureAwait(false);
                    copied += batch.Count;
                    batch.Clear();
                }
            }
        }

        if (batch.Count > 0)
        {
            await into.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = true }, ct).ConfigureAwait(false);
            copied += batch.Count;
        }

        var result = new BaselineResult(copied, Stopwatch.GetElapsedTime(start).TotalSeconds);
        await target.DropDatabaseAsync(ScratchDatabase, null, ct).ConfigureAwait(false);
        return result;
    }
}
