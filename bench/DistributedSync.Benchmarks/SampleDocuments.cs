using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Wire;

namespace DistributedSync.Benchmarks;

/// <summary>
/// The documents every benchmark measures, built deterministically: a typical order document of
/// about 1 KB, a 100 KB document (an order history holding many such orders) and a batch of 1,000
/// distinct orders for an insert. <see cref="WriteFiles"/> stores them as BSON so the js-bson
/// benchmark measures exactly the same bytes.
/// </summary>
public static class SampleDocuments
{
    /// <summary>File name of the 1 KB document.</summary>
    public const string Small = "doc-1k.bson";

    /// <summary>File name of the 100 KB document.</summary>
    public const string Large = "doc-100k.bson";

    /// <summary>File name of the insert batch (1,000 concatenated documents).</summary>
    public const string Batch = "batch-1000.bson";

    /// <summary>File name of the framed OP_MSG insert of the batch (request id 7).</summary>
    public const string InsertFrame = "insert-1000.msg";

    private static readonly string[] Cities = ["Lisboa", "Zürich", "München", "Kraków", "Oslo", "São Paulo", "Tōkyō", "Austin"];
    private static readonly string[] Products = ["Espresso machine", "Grinder", "Kettle", "Milk jug", "Tamper", "Scale", "Filter papers", "Descaler"];
    private static readonly string[] Statuses = ["new", "paid", "packed", "shipped", "delivered", "returned"];

    /// <summary>A typical document of about 1 KB: an order with customer, address, lines and history.</summary>
    public static BsonDocument Order(int n)
    {
        var random = new Random(n);
#pragma warning disable CA5394 // Deterministic sample data.
        var created = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n * 7 % 500_000);
        var lines = new BsonArray();
        var total = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var quantity = random.Next(1, 5);
            var price = Math.Round(random.Next(199, 99_999) / 100.0, 2);
            total += quantity * price;
            lines.Add(new BsonDocument
            {
                { "sku", "SKU-" + random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture) },
                { "name", Products[random.Next(Products.Length)] },
                { "quantity", quantity },
                { "unitPrice", price },
                { "discounted", random.Next(4) == 0 },
            });
        }

        var history = new BsonArray();
        for (var i = 0; i < 3; i++)
        {
            history.Add(new BsonDocument
            {
                { "status", Statuses[i] },
                { "at", created.AddHours(i * 5) },
                { "by", "system" },
            });
        }

        return new BsonDocument
        {
            { "_id", new ObjectId(BitConverter.GetBytes(n).Concat(BitConverter.GetBytes((long)n * 7919)).ToArray()) },
            { "orderNumber", 1_000_000_000L + n },
            { "status", Statuses[random.Next(Statuses.Length)] },
            { "createdAt", created },
            { "updatedAt", created.AddHours(12) },
            {
                "customer", new BsonDocument
                {
                    { "customerId", random.Next(1, 1_000_000) },
                    { "name", "Customer " + n.ToString(CultureInfo.InvariantCulture) },
                    { "email", $"customer{n}@example.com" },
                    { "phone", "+41 44 " + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture) },
                    { "vip", random.Next(10) == 0 },
                    {
                        "address", new BsonDocument
                        {
                            { "street", random.Next(1, 200).ToString(CultureInfo.InvariantCulture) + " Bahnhofstrasse" },
                            { "city", Cities[random.Next(Cities.Length)] },
                            { "postalCode", random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture) },
                            { "country", "CH" },
                            { "location", new BsonArray { 8.5 + random.NextDouble(), 47.3 + random.NextDouble() } },
                        }
                    },
                }
            },
            { "lines", lines },
            { "total", Math.Round(total, 2) },
            { "currency", "CHF" },
            { "tags", new BsonArray { "web", "promo-" + (n % 12).ToString(CultureInfo.InvariantCulture), "priority" } },
            { "history", history },
            { "note", "Leave the parcel at the door if nobody answers; ring twice. Fragile: glass inside, handle with care." },
            { "revision", random.Next(1, 20) },
        };
#pragma warning restore CA5394
    }

    /// <summary>A document of about 100 KB: a customer's order history of many orders.</summary>
    public static BsonDocument History()
    {
        var orders = new BsonArray();
        var doc = new BsonDocument
        {
            { "_id", "history-1" },
            { "customerId", 42 },
            { "generatedAt", new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc) },
            { "orders", orders },
        };
        for (var i = 0; BsonCodec.GetEncodedSize(doc) < 100 * 1024 - 1100; i++)
        {
            orders.Add(Order(100_000 + i));
        }

        return doc;
    }

    /// <summary>1,000 distinct orders for one insert.</summary>
    public static List<BsonDocument> InsertBatch() => [.. Enumerable.Range(0, 1000).Select(i => Order(10_000 + i))];

    /// <summary>The OP_MSG insert of <paramref name="batch"/> that the framing benchmarks measure.</summary>
    public static OpMsgMessage CreateInsert(IEnumerable<BsonDocument> batch)
    {
        var body = new BsonDocument { { "insert", "orders" }, { "ordered", true }, { "$db", "bench" } };
        return new OpMsgMessage(body, [new DocumentSequence("documents", batch)]) { RequestId = 7 };
    }

    /// <summary>Writes the samples as BSON, and the framed insert, into <paramref name="directory"/>.</summary>
    public static void WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, Small), BsonCodec.ToBytes(Order(1)));
        File.WriteAllBytes(Path.Combine(directory, Large), BsonCodec.ToBytes(History()));
        var documents = InsertBatch();
        using (var batch = File.Create(Path.Combine(directory, Batch)))
        {
            foreach (var d in documents)
            {
                batch.Write(BsonCodec.ToBytes(d));
            }
        }

        File.WriteAllBytes(Path.Combine(directory, InsertFrame), WireMessageCodec.ToBytes(CreateInsert(documents)));
    }
}
