using System.Security.Cryptography;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Tests.Server;
using DistributedSync.Wire;
using Xunit;

namespace DistributedSync.Emulator.Tests.Fuzz;

/// <summary>The protected database's contents at one moment, as bytes.</summary>
/// <param name="Documents">Every document of the collection, sorted by <c>_id</c>, re-encoded.</param>
/// <param name="Sha256">SHA-256 of the documents' bytes in that order.</param>
/// <param name="Catalog">listCollections and listIndexes of the database, as Extended JSON.</param>
internal sealed record ProtectedSnapshot(IReadOnlyList<byte[]> Documents, string Sha256, string Catalog);

/// <summary>
/// A database no fuzz input targets: seeded before the run with documents of every BSON type and
/// a unique index, read back in full (sorted by <c>_id</c>) before and after. Fuzz messages name
/// only <see cref="FuzzCorpus.Database"/> or <c>admin</c>; a name of a different length than
/// those cannot come out of flipped bytes, so any change here means some input wrote where it
/// did not point.
/// </summary>
internal static class ProtectedDatabase
{
    public const string Name = "guarded_ledger_db";
    public const string Collection = "ledger";
    public const int DocumentCount = 600;

    public static async Task SeedAsync(WireTestClient client, CancellationToken cancellationToken)
    {
        var created = await client.CommandAsync(Name, new BsonDocument
        {
            { "createIndexes", Collection },
            { "indexes", new BsonArray([new BsonDocument { { "key", new BsonDocument("serial", 1) }, { "name", "serial_1" }, { "unique", true } }]) },
        }, cancellationToken);
        Assert.True(created["ok"].ToDouble() == 1, "createIndexes on the protected database failed: " + created);

        for (var first = 0; first < DocumentCount; first += 100)
        {
            var documents = Enumerable.Range(first, 100).Select(Document).ToList();
            var request = CommandMessage.Create(Name, new BsonDocument { { "insert", Collection }, { "ordered", true } }, "documents", documents);
            await client.SendAsync(request, cancellationToken);
            var reply = Assert.IsType<OpMsgMessage>(await client.ReceiveAsync(cancellationToken)).Body;
            Assert.True(reply["ok"].ToDouble() == 1 && reply["n"].ToInt64() == 100, "Seeding the protected database failed: " + reply);
        }
    }

    public static async Task<ProtectedSnapshot> ReadAsync(WireTestClient client, CancellationToken cancellationToken)
    {
        var documents = new List<byte[]>();
        var reply = await client.CommandAsync(Name, new BsonDocument
        {
            { "find", Collection },
            { "filter", new BsonDocument() },
            { "sort", new BsonDocument("_id", 1) },
            { "batchSize", 101 },
        }, cancellationToken);
        for (var batches = 0; ; batches++)
        {
            Assert.True(reply["ok"].ToDouble() == 1, "Reading the protected database failed: " + reply);
            Assert.True(batches < 1_000, "The cursor over the protected database does not end.");
            var cursor = reply["cursor"].AsDocument;
            var batch = (cursor.GetValueOrDefault("firstBatch") ?? cursor["nextBatch"]).AsArray;
            documents.AddRange(batch.Select(d => BsonCodec.ToBytes(d.AsDocument)));
            var id = cursor["id"].ToInt64();
            if (id == 0)
            {
                break;
            }

            reply = await client.CommandAsync(Name, new BsonDocument { { "getMore", id }, { "collection", Collection }, { "batchSize", 101 } }, cancellationToken);
        }

        var collections = await client.CommandAsync(Name, new BsonDocument("listCollections", 1), cancellationToken);
        var indexes = await client.CommandAsync(Name, new BsonDocument("listIndexes", Collection), cancellationToken);
        var catalog = collections["cursor"].AsDocument["firstBatch"] + "\n" + indexes["cursor"].AsDocument["firstBatch"];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var document in documents)
        {
            sha.AppendData(document);
        }

        return new ProtectedSnapshot(documents, Convert.ToHexString(sha.GetHashAndReset()), catalog);
    }

    private static BsonDocument Document(int i) => new()
    {
        { "_id", i },
        { "serial", "S-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) },
        { "amount", new BsonDecimal128(Decimal128.Parse(i + ".25")) },
        { "ratio", i / 7.0 },
        { "big", (long)i << 33 },
        { "when", new BsonDateTime(1_600_000_000_000 + (i * 1000L)) },
        { "tags", new BsonArray(["t" + (i % 5), "u" + (i % 3)]) },
        { "nested", new BsonDocument { { "level", i % 4 }, { "ok", i % 2 == 0 }, { "none", BsonNull.Value } } },
        { "blob", new BsonBinaryData([(byte)i, (byte)(i >> 8), 0xAB], BsonBinarySubtype.Generic) },
    };
}
