using System.Globalization;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Bson.Json;

namespace DistributedSync.SystemBench.Workload;

/// <summary>
/// The 1,024-byte document every benchmark writes: a shipment event with nested and array fields
/// and a padding note, keyed by a sequence number (<c>_id</c> and <c>seq</c>, both Int32). The
/// same document is produced as JSON (the HTTP body sent to the daemon) and as BSON (what the
/// baselines insert with our client); <see cref="Verify"/> checks that both are the same document
/// and that it stores as exactly <see cref="StoredSize"/> bytes.
/// </summary>
internal static class BenchDocuments
{
    /// <summary>The stored size of every document, in bytes.</summary>
    public const int StoredSize = 1024;

    private static readonly BsonDocument Body = BuildBody();

    // The body's fields as JSON, without the opening brace: "seq" and "_id" are put in front.
    private static readonly string BodyJsonTail = ExtendedJson.Write(Body, ExtendedJsonMode.Relaxed)[1..];

    /// <summary>The document with sequence number <paramref name="seq"/>, as JSON.</summary>
    public static string Json(int seq)
    {
        var number = seq.ToString(CultureInfo.InvariantCulture);
        return string.Concat("{\"_id\":", number, ",\"seq\":", number, ",", BodyJsonTail);
    }

    /// <summary>The documents <paramref name="first"/> .. first + count - 1 as one JSON array (UTF-8).</summary>
    public static byte[] JsonArray(int first, int count)
    {
        var text = new StringBuilder(count * (BodyJsonTail.Length + 40));
        text.Append('[');
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(Json(first + i));
        }

        text.Append(']');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The document with sequence number <paramref name="seq"/>, as BSON (the body's values are shared).</summary>
    public static BsonDocument Bson(int seq)
    {
        var document = new BsonDocument(Body.Count + 2) { { "_id", seq }, { "seq", seq } };
        foreach (var element in Body)
        {
            document.Add(element.Name, element.Value);
        }

        return document;
    }

    /// <summary>The documents <paramref name="first"/> .. first + count - 1 as BSON.</summary>
    public static List<BsonDocument> BsonBatch(int first, int count)
    {
        var batch = new List<BsonDocument>(count);
        for (var i = 0; i < count; i++)
        {
            batch.Add(Bson(first + i));
        }

        return batch;
    }

    /// <summary>Throws when the JSON and BSON forms differ or the size is not <see cref="StoredSize"/>.</summary>
    public static void Verify()
    {
        foreach (var seq in new[] { 1, 999_999, 2_000_000_000 })
        {
            var parsed = ExtendedJson.Parse(Json(seq));
            var built = Bson(seq);
            if (!parsed.Equals(built))
            {
                throw new InvalidOperationException($"The JSON and BSON forms of document {seq} differ:\n{Json(seq)}");
            }
        }

        // The size depends on the digits of nothing: _id and seq are Int32 whatever their value.
        var size = BsonCodec.GetEncodedSize(Bson(42));
        if (size != StoredSize)
        {
            throw new InvalidOperationException($"The benchmark document stores as {size} bytes, not {StoredSize}.");
        }
    }

    private static BsonDocument BuildBody()
    {
        var parcels = new BsonArray();
        for (var i = 0; i < 3; i++)
        {
            parcels.Add(new BsonDocument
            {
                { "barcode", "PX" + (480_000 + (i * 37)).ToString(CultureInfo.InvariantCulture) },
                { "weightKg", 1.25 + i },
                { "fragile", i == 1 },
                { "dims", new BsonArray([30 + i, 20 + i, 10 + i]) },
            });
        }

        var body = new BsonDocument
        {
            { "kind", "shipment.scanned" },
            { "carrier", "north-sea-freight" },
            { "depot", new BsonDocument { { "code", "RTM-04" }, { "city", "Rotterdam" }, { "lat", 51.9225 }, { "lon", 4.47917 } } },
            { "scannedAt", new BsonDateTime(1_735_689_600_000) },
            { "attempt", 2 },
            { "priority", true },
            { "labels", new BsonArray(["express", "signature", "eu-customs", "insured"]) },
            { "parcels", parcels },
        };

        // Pad with a note so that the stored document ({_id, seq} + body) is StoredSize bytes.
        var withoutNote = BsonCodec.GetEncodedSize(body) + (1 + 4 + 4) + (1 + 4 + 4);
        const int NoteOverhead = 1 + 5 + 4 + 1; // type, "note\0", string length, terminator
        body.Add("note", new string('x', StoredSize - withoutNote - NoteOverhead));
        return body;
    }
}
