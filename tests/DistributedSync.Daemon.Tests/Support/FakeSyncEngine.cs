using System.Collections.Concurrent;
using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Tests.Support;

/// <summary>
/// An in-memory engine for API tests: collections of documents keyed by <c>_id</c>, equality
/// filters on top-level fields, <c>$set</c>/<c>$unset</c>/<c>$inc</c> updates. Records every call;
/// <see cref="Failure"/> makes the next calls throw.
/// </summary>
internal sealed class FakeSyncEngine : ISyncEngine
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<BsonDocument>> _collections = [];
    private long _index;

    public ConcurrentQueue<(IReadOnlyList<WriteOperation> Operations, WriteConcern Concern)> Writes { get; } = new();

    public ConcurrentQueue<(ReadQuery Query, ReadPreferenceMode Mode, TimeSpan? MaxStaleness)> Reads { get; } = new();

    public SyncEngineException? Failure { get; set; }

    public Exception? Crash { get; set; }

    public int ServingNodeId { get; set; } = 2;

    public ClusterStatus Status { get; set; } = new(0, null, []);

    public int Calls => Writes.Count + Reads.Count;

    public void Reset()
    {
        lock (_lock)
        {
            _collections.Clear();
            _index = 0;
        }

        Writes.Clear();
        Reads.Clear();
        Failure = null;
        Crash = null;
        Status = new ClusterStatus(0, null, []);
    }

    public Task<WriteOutcome> WriteAsync(IReadOnlyList<WriteOperation> operations, WriteConcern writeConcern, CancellationToken cancellationToken)
    {
        Writes.Enqueue((operations, writeConcern));
        if (((Exception?)Failure ?? Crash) is { } failure)
        {
            throw failure;
        }

        long inserted = 0, matched = 0, modified = 0, deleted = 0, upserted = 0;
        lock (_lock)
        {
            for (var index = 0; index < operations.Count; index++)
            {
                var operation = operations[index];
                var documents = Collection(operation.Collection);
                switch (operation)
                {
                    case InsertOperation insert:
                        if (Find(documents, insert.Document["_id"]) is not null)
                        {
                            throw new SyncEngineException(SyncErrorKind.DuplicateKey, $"E11000 duplicate key: _id {insert.Document["_id"]}", position: index > 0 ? new OplogPosition(1, index) : null, appliedOperations: index);
                        }

                        documents.Add(insert.Document.DeepClone());
                        inserted++;
                        break;
                    case ReplaceOperation replace:
                        var existing = Find(documents, replace.Id);
                        if (existing is null)
                        {
                            documents.Add(replace.Replacement.DeepClone());
                            upserted++;
                        }
                        else
                        {
                            matched++;
                            modified += existing.Equals(replace.Replacement) ? 0 : 1;
                            documents[documents.IndexOf(existing)] = replace.Replacement.DeepClone();
                        }

                        break;
                    case UpdateOperation update:
                        if (Find(documents, update.Id) is { } target)
                        {
                            matched++;
                            modified += Apply(target, update.Update) ? 1 : 0;
                        }

                        break;
                    case DeleteOperation delete:
                        if (Find(documents, delete.Id) is { } victim)
                        {
                            documents.Remove(victim);
                            deleted++;
                        }

                        break;
                }
            }

            _index += operations.Count;
            return Task.FromResult(new WriteOutcome(new OplogPosition(1, _index), inserted, matched, modified, deleted, upserted));
        }
    }

    public Task<ReadOutcome> ReadAsync(ReadQuery query, ReadPreferenceMode readPreference, TimeSpan? maxStaleness, CancellationToken cancellationToken)
    {
        Reads.Enqueue((query, readPreference, maxStaleness));
        if (((Exception?)Failure ?? Crash) is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            var found = Collection(query.Collection)
                .Where(d => query.Filter.All(f => d.TryGetValue(f.Name, out var v) && BsonValueComparer.Instance.Equals(v, f.Value)))
                .Take(query.Limit)
                .Select(d => d.DeepClone())
                .ToList();
            return Task.FromResult(new ReadOutcome(found, ServingNodeId));
        }
    }

    public ClusterStatus GetStatus() => Status;

    private List<BsonDocument> Collection(string name)
    {
        if (!_collections.TryGetValue(name, out var documents))
        {
            _collections[name] = documents = [];
        }

        return documents;
    }

    private static BsonDocument? Find(List<BsonDocument> documents, BsonValue id)
        => documents.FirstOrDefault(d => BsonValueComparer.Instance.Equals(d["_id"], id));

    private static bool Apply(BsonDocument target, BsonDocument update)
    {
        var before = target.DeepClone();
        foreach (var (op, fields) in update)
        {
            foreach (var (name, value) in fields.AsDocument)
            {
                switch (op)
                {
                    case "$set":
                        target.Set(name, value);
                        break;
                    case "$unset":
                        target.Remove(name);
                        break;
                    case "$inc":
                        var current = target.GetValueOrDefault(name);
                        target.Set(name, (current?.ToInt64() ?? 0) + value.ToInt64());
                        break;
                    default:
                        throw new SyncEngineException(SyncErrorKind.BadValue, $"The fake engine does not support {op}.");
                }
            }
        }

        return !before.Equals(target);
    }
}
