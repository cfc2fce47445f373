using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Sync;

/// <summary>The operations of one request turned into oplog entries, in order, stopping at the first refused one.</summary>
internal sealed partial class WriteBatchRunner
{
    private async Task PrepareAsync(WriteRequest request, CancellationToken ct)
    {
        var counts = request.Counts;
        for (var index = 0; index < request.Operations.Count; index++)
        {
            var operation = request.Operations[index];
            var ns = _master.Namespace(operation.Collection);
            switch (operation)
            {
                case InsertOperation insert:
                {
                    var id = insert.Document["_id"];
                    if (await CurrentAsync(ns, id, ct).ConfigureAwait(false) is not null)
                    {
                        request.Counts = counts;
                        request.Refuse(index, SyncErrorKind.DuplicateKey, Refused(request, index, $"a document with _id {id} already exists in '{operation.Collection}'"));
                        return;
                    }

                    Add(OplogEntry.Insert(NextPosition(), ns, insert.Document, _time.GetUtcNow()));
                    counts = counts with { Inserted = counts.Inserted + 1 };
                    break;
                }

                case ReplaceOperation replace:
                {
                    var current = await CurrentAsync(ns, replace.Id, ct).ConfigureAwait(false);
                    if (current is null && !replace.Upsert)
                    {
                        break;
                    }

                    var after = WithId(replace.Id, replace.Replacement);
                    if (current is not null && current.Equals(after))
                    {
                        counts = counts with { Matched = counts.Matched + 1 };
                        break;
                    }

                    Add(OplogEntry.Replace(NextPosition(), ns, after, _time.GetUtcNow()));
                    counts = current is null
                        ? counts with { Upserted = counts.Upserted + 1 }
                        : counts with { Matched = counts.Matched + 1, Modified = counts.Modified + 1 };
                    break;
                }

                case UpdateOperation update:
                {
                    var current = await CurrentAsync(ns, update.Id, ct).ConfigureAwait(false);
                    if (current is null)
                    {
                        break;
                    }

                    BsonDocument after;
                    try
                    {
                        after = await PostImageAsync(current, update.Update, ct).ConfigureAwait(false);
                    }
                    catch (MongoException e) when (e is MongoCommandException or MongoWriteException)
                    {
                        request.Counts = counts;
                        request.Refuse(index, SyncErrorKind.BadValue, Refused(request, index, $"the update of _id {update.Id} in '{operation.Collection}' failed: {e.Message}"));
                        return;
                    }

                    counts = counts with { Matched = counts.Matched + 1 };
                    if (!after.Equals(current))
                    {
                        Add(OplogEntry.Update(NextPosition(), ns, after, _time.GetUtcNow()));
                        counts = counts with { Modified = counts.Modified + 1 };
                    }

                    break;
                }

                case DeleteOperation delete:
                    if (await CurrentAsync(ns, delete.Id, ct).ConfigureAwait(false) is not null)
                    {
                        Add(OplogEntry.Delete(NextPosition(), ns, delete.Id, _time.GetUtcNow()));
                        counts = counts with { Deleted = counts.Deleted + 1 };
                    }

                    break;
            }
        }

        request.Counts = counts;
    }

    /// <summary>The refusal's message; for a request of several operations it says which one and that the ones before it are applied.</summary>
    private static string Refused(WriteRequest request, int index, string what)
    {
        var capitalized = char.ToUpperInvariant(what[0]) + what[1..];
        return request.Operations.Count == 1
            ? capitalized + "."
            : $"Operation {index} of {request.Operations.Count} was refused: {what}; the {index} operation(s) before it are applied, it and the ones after it are not.";
    }
}
