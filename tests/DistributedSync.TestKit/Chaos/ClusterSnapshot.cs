using DistributedSync.Bson;
using DistributedSync.Mongo;

namespace DistributedSync.TestKit.Chaos;

/// <summary>What one node holds after a run, read directly (not through the daemon).</summary>
public sealed record NodeSnapshot(
    int Index,
    IReadOnlySet<long> Values,
    string DataHash,
    IReadOnlySet<long> RolledBack,
    IReadOnlyDictionary<long, long> OplogTerms)
{
    /// <summary>Reads node <paramref name="index"/>'s set collection, dbHash, rollback values and oplog (index -> term).</summary>
    public static async Task<NodeSnapshot> ReadAsync(MongoClient client, int index, string database, string metadataDatabase, string collection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var values = new HashSet<long>();
        await using (var cursor = await client.GetDatabase(database).GetCollection(collection).FindAsync(new BsonDocument(), new FindOptions { BatchSize = 10_000 }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var doc in await cursor.ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                values.Add(AsLong(doc["_id"]));
            }
        }

        var hash = await client.GetDatabase(database).RunCommandAsync(new BsonDocument("dbHash", 1), cancellationToken: cancellationToken).ConfigureAwait(false);
        var md5 = hash.TryGetValue("collections", out var collections) && collections is BsonDocument byName && byName.TryGetValue(collection, out var h) ? h.ToString() : "(none)";

        var rolledBack = new HashSet<long>();
        var ns = database + "." + collection;
        await using (var cursor = await client.GetDatabase(metadataDatabase).GetCollection("rollback").FindAsync(new BsonDocument(), null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in await cursor.ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (entry.TryGetValue("ns", out var n) && n is BsonString s && s.Value == ns && entry.TryGetValue("o", out var o) && o is BsonDocument body && body.TryGetValue("_id", out var id))
                {
                    rolledBack.Add(AsLong(id));
                }
            }
        }

        var oplog = new Dictionary<long, long>();
        var projection = new BsonDocument { { "_id", 1 }, { "t", 1 } };
        await using (var cursor = await client.GetDatabase(metadataDatabase).GetCollection("oplog").FindAsync(new BsonDocument(), new FindOptions { Projection = projection, BatchSize = 10_000 }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in await cursor.ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                oplog[AsLong(entry["_id"])] = AsLong(entry["t"]);
            }
        }

        return new NodeSnapshot(index, values, md5, rolledBack, oplog);
    }

    private static long AsLong(BsonValue value) => value switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d when d.Value == Math.Floor(d.Value) => (long)d.Value,
        _ => throw new InvalidDataException($"Expected an integer, found {value}."),
    };
}
