using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.EmulatorBench;

/// <summary>
/// The ~1 KB document every workload inserts (a customer order), without <c>_id</c>: each insert
/// gets a fresh ObjectId from the client, as applications do. The same template is written as
/// BSON for the Node.js side (<c>--template</c>), so both clients send the same values.
/// </summary>
internal static class BenchDocuments
{
    public static BsonDocument Template { get; } = Build();

    /// <summary>Size of one stored document (template plus a 12-byte ObjectId <c>_id</c>).</summary>
    public static int StoredSize { get; } = BsonCodec.GetEncodedSize(WithId(ObjectId.GenerateNewId()));

    /// <summary>A new document with the template's fields and no <c>_id</c> (the client adds one).</summary>
    public static BsonDocument Fresh() => new(Template);

    public static BsonDocument WithId(ObjectId id)
    {
        var document = new BsonDocument(Template.Count + 1) { { "_id", id } };
        foreach (var element in Template)
        {
            document.Add(element.Name, element.Value);
        }

        return document;
    }

    public static void WriteTemplate(string path) => File.WriteAllBytes(path, BsonCodec.ToBytes(Template));

    private static BsonDocument Build()
    {
        var lines = new BsonArray();
        for (var i = 0; i < 4; i++)
        {
            lines.Add(new BsonDocument
            {
                { "sku", "SKU-" + (1000 + (i * 17)) },
                { "title", "Stainless steel item number " + i },
                { "qty", i + 1 },
                { "price", 19.95 + i },
            });
        }

        var document = new BsonDocument
        {
            { "customer", "customer-004217" },
            { "email", "jane.doe@example.com" },
            { "active", true },
            { "score", 87.25 },
            { "created", new BsonDateTime(1_700_000_000_000) },
            { "tags", new BsonArray(["priority", "gift", "eu", "repeat", "newsletter"]) },
            {
                "address", new BsonDocument
                {
                    { "street", "12 Harbour Lane" },
                    { "city", "Rotterdam" },
                    { "zip", "3011 AA" },
                    { "country", "NL" },
                }
            },
            { "lines", lines },
            { "status", "shipped" },
        };

        // Pad with a note to bring the stored document (with its _id) to 1,024 bytes.
        var withoutNote = BsonCodec.GetEncodedSize(document) + 4 + 12 + 1;
        var noteOverhead = 1 + 5 + 4 + 1;
        document.Add("note", new string('n', 1024 - withoutNote - noteOverhead));
        return document;
    }
}
