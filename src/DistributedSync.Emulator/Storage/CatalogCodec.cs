using System.Collections.Immutable;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;

namespace DistributedSync.Emulator.Storage;

/// <summary>Stores catalog entries (options and index specs) as BSON blobs in <c>_catalog</c>.</summary>
internal static class CatalogCodec
{
    public static CollectionInfo Read(string db, string coll, long tableId, byte[] uuid, byte[] options, byte[] indexes)
    {
        var o = BsonCodec.Decode(options);
        var collectionOptions = new CollectionOptions(
            o["capped"].AsBoolean,
            o["size"].AsInt64,
            o.TryGetValue("max", out var max) && max is BsonInt64 m ? m.Value : null,
            o["raw"].AsDocument);
        var list = ImmutableList.CreateBuilder<IndexDefinition>();
        foreach (var element in BsonCodec.Decode(indexes))
        {
            var entry = element.Value.AsDocument;
            var spec = entry["spec"].AsDocument;
            list.Add(new IndexDefinition(
                spec["name"].AsString,
                spec["key"].AsDocument,
                spec.TryGetValue("unique", out var u) && u.ToBoolean(),
                spec.TryGetValue("sparse", out var sp) && sp.ToBoolean(),
                spec)
            {
                TableNumber = entry["table"].AsInt32,
            });
        }

        return new CollectionInfo(db, coll, tableId, new Guid(uuid), collectionOptions, list.ToImmutable());
    }

    public static byte[] WriteOptions(CollectionOptions options)
    {
        var doc = new BsonDocument
        {
            { "capped", options.Capped },
            { "size", options.MaxSize },
            { "raw", options.Raw },
        };
        if (options.MaxDocuments is { } max)
        {
            doc.Add("max", max);
        }

        return BsonCodec.ToBytes(doc);
    }

    public static byte[] WriteIndexes(IEnumerable<IndexDefinition> indexes)
    {
        var doc = new BsonDocument();
        var i = 0;
        foreach (var index in indexes)
        {
            doc.Add(
                (i++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                new BsonDocument { { "table", index.TableNumber }, { "spec", index.Spec } });
        }

        return BsonCodec.ToBytes(doc);
    }
}
