using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Update;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// The storage side of updates and deletes, run on the writer inside one request: finding the
/// documents a filter selects (by primary key for an exact <c>_id</c>, else by scanning in record
/// order in chunks so changes never disturb an open read), applying an update to a copy and
/// replacing the stored document, and building the document an upsert inserts.
/// </summary>
internal static class UpdateExecutor
{
    private const int ChunkSize = 256;

    /// <summary>
    /// The stored documents matching <paramref name="filter"/> in record order, read in chunks
    /// so the caller may modify each one before the next is read. Stops after the first when
    /// <paramref name="firstOnly"/>.
    /// </summary>
    public static IEnumerable<StoredDocument> Matching(WriteContext write, CollectionInfo collection, FilterMatcher filter, bool firstOnly)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.ExactId is { } id)
        {
            var found = write.FindById(collection, id);
            if (found is not null && filter.Matches(found.Document))
            {
                yield return found;
            }

            yield break;
        }

        long after = 0;
        while (true)
        {
            var chunk = write.Scan(collection, after).Take(ChunkSize).ToList();
            foreach (var stored in chunk)
            {
                after = stored.RecordId;
                if (filter.IsMatchAll || filter.Matches(stored.Document))
                {
                    yield return stored;
                    if (firstOnly)
                    {
                        yield break;
                    }
                }
            }

            if (chunk.Count < ChunkSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="spec"/> to a copy of <paramref name="stored"/>; returns the new
    /// document, or null when the update changed nothing (no write, not counted in nModified).
    /// </summary>
    public static BsonDocument? Apply(UpdateSpec spec, StoredDocument stored, FilterMatcher filter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(filter);
        filter.Matches(stored.Document, out var offset);
        var copy = stored.Document.DeepClone();
        var changed = spec.Apply(copy, new UpdateContext
        {
            MatchedArrayOffset = offset,
            NowMilliseconds = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Timestamp = InsertPreparation.NextTimestamp(time),
        });
        if (!changed)
        {
            return null;
        }

        CheckUpdatedSize(copy);
        InsertPreparation.CheckDepth(copy);
        if (copy.GetValueOrDefault("_id") is { } id)
        {
            InsertPreparation.ValidateId(id);
        }

        return copy;
    }

    /// <summary>The document an upsert inserts (validated like an insert, <c>_id</c> first and generated when missing).</summary>
    public static BsonDocument UpsertDocument(UpdateSpec spec, BsonDocument query, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var document = spec.CreateUpsertDocument(query, new UpdateContext
        {
            IsInsert = true,
            NowMilliseconds = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Timestamp = InsertPreparation.NextTimestamp(time),
        });
        return InsertPreparation.Prepare(document, time);
    }

    private static void CheckUpdatedSize(BsonDocument document)
    {
        if (BsonCodec.GetEncodedSize(document) > ServerVersion.MaxBsonObjectSize)
        {
            throw new ServerErrorException(17419,
                "Resulting document after update is larger than " + ServerVersion.MaxBsonObjectSize.ToString(CultureInfo.InvariantCulture));
        }
    }
}
