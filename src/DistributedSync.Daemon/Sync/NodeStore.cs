using DistributedSync.Bson;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// The storage operations the engine performs on one node, over that node's own
/// <see cref="MongoClient"/>: its term and replication documents, its capped oplog and the
/// replicated database's collections.
/// </summary>
internal sealed partial class NodeStore : IAsyncDisposable
{
    private const int DuplicateKeyCode = 11000;
    private const int NamespaceExistsCode = 48;
    private readonly string _database;
    private readonly long _oplogBytes;
    private volatile bool _oplogReady;

    public NodeStore(int id, string name, MongoClient client, string database, string metadataDatabase, long oplogBytes)
    {
        Id = id;
        Name = name;
        Client = client;
        _database = database;
        _oplogBytes = oplogBytes;
        var meta = client.GetDatabase(metadataDatabase);
        Metadata = meta.GetCollection(MetadataNames.MetadataCollection);
        Oplog = meta.GetCollection(MetadataNames.OplogCollection);
        MetadataDatabase = meta;
    }

    public int Id { get; }

    /// <summary>The replicated database's name.</summary>
    public string DataDatabase => _database;

    public string Name { get; }

    public MongoClient Client { get; }

    public MongoDatabase MetadataDatabase { get; }

    public MongoCollection Metadata { get; }

    public MongoCollection Oplog { get; }

    /// <summary>The collection of the replicated database named by a namespace "db.coll" or a bare name.</summary>
    public MongoCollection Data(string collectionOrNamespace)
    {
        var dot = collectionOrNamespace.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? Client.GetDatabase(_database).GetCollection(collectionOrNamespace)
            : Client.GetDatabase(collectionOrNamespace[..dot]).GetCollection(collectionOrNamespace[(dot + 1)..]);
    }

    public string Namespace(string collection) => _database + "." + collection;

    public static bool IsDuplicateKey(Exception e) => e switch
    {
        MongoCommandException c => c.Code == DuplicateKeyCode,
        MongoWriteException w => w.WriteError?.Code == DuplicateKeyCode,
        MongoBulkWriteException b => b.WriteErrors.Any(x => x.Code == DuplicateKeyCode),
        _ => false,
    };

    /// <summary>Creates the capped oplog when it does not exist yet (once per daemon run).</summary>
    public async Task EnsureOplogAsync(CancellationToken ct)
    {
        if (_oplogReady)
        {
            return;
        }

        var names = await MetadataDatabase.ListCollectionNamesAsync(null, ct).ConfigureAwait(false);
        if (!names.Contains(MetadataNames.OplogCollection))
        {
            try
            {
                await MetadataDatabase.CreateCollectionAsync(MetadataNames.OplogCollection, new CreateCollectionOptions { Capped = true, MaxSize = _oplogBytes }, ct).ConfigureAwait(false);
            }
            catch (MongoCommandException e) when (e.Code == NamespaceExistsCode)
            {
                // Another task created it first.
            }
        }

        _oplogReady = true;
    }

    public async Task<TermRecord> ReadTermAsync(CancellationToken ct)
        => TermRecord.FromBson(await Metadata.FindOneAsync(new BsonDocument("_id", MetadataNames.TermDocumentId), null, ct).ConfigureAwait(false));

    public async Task<ReplicationRecord> ReadReplicationAsync(CancellationToken ct)
        => ReplicationRecord.FromBson(await Metadata.FindOneAsync(new BsonDocument("_id", MetadataNames.ReplicationDocumentId), null, ct).ConfigureAwait(false));

    public Task WriteReplicationAsync(ReplicationRecord record, CancellationToken ct)
        => Metadata.ReplaceOneAsync(new BsonDocument("_id", MetadataNames.ReplicationDocumentId), record.ToBson(), new UpdateOptions { IsUpsert = true }, ct);

    /// <summary>
    /// The newest oplog entry's position, or zero. The oplog is capped and every writer (the
    /// master's group commit, a slave's append, rollback's truncate-then-append, resync's seed)
    /// appends entries in increasing index order, so insertion order is index order and the
    /// newest entry is the last in natural order: <c>{$natural: -1}</c> reads one document on
    /// mongod and on the emulator, where a sort on <c>_id</c> would scan the whole oplog.
    /// </summary>
    public async Task<OpPosition> ReadLastPositionAsync(CancellationToken ct)
    {
        var last = await Oplog.FindOneAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("$natural", -1) }, ct).ConfigureAwait(false);
        return last is null ? OpPosition.Zero : OplogEntrySerializer.FromBson(last).Position;
    }

    /// <summary>What a heartbeat reports.</summary>
    public async Task<NodeStatus> ReadStatusAsync(CancellationToken ct)
    {
        await Client.PingAsync(ct).ConfigureAwait(false);
        var term = await ReadTermAsync(ct).ConfigureAwait(false);
        var replication = await ReadReplicationAsync(ct).ConfigureAwait(false);
        var last = await ReadLastPositionAsync(ct).ConfigureAwait(false);
        return new NodeStatus(term.Term, term.Term == 0 ? null : term.MasterId, replication.ReportedLast(last), replication.Applied, replication.State);
    }

    /// <summary>
    /// Compare-and-set of the term document: <c>{_id:"term", term:{$lt:T}}</c> with upsert. The
    /// stored term can never go down: when the document exists with a term not lower, the filter
    /// does not match, the upsert tries to insert <c>_id:"term"</c> again and fails with a
    /// duplicate key, which is the "not lower" answer. Either way the document is read back and
    /// the write counts only when it now holds exactly (T, masterId).
    /// </summary>
    public async Task<(TermRecord Stored, bool Succeeded)> CompareAndSetTermAsync(long term, int masterId, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await Metadata.UpdateOneAsync(TermRules.CompareAndSetFilter(term), TermRules.CompareAndSetUpdate(term, masterId, now), new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        }
        catch (MongoException e) when (IsDuplicateKey(e))
        {
            // The stored term is not lower; the read below tells whether it is exactly ours.
        }

        var stored = await ReadTermAsync(ct).ConfigureAwait(false);
        return (stored, stored.Term == term && stored.MasterId == masterId);
    }

    /// <summary>Entries with an index after <paramref name="afterIndex"/>, ascending, at most <paramref name="limit"/>.</summary>
    public async Task<List<OplogEntry>> ReadOplogAfterAsync(long afterIndex, int limit, CancellationToken ct)
    {
        await using var cursor = await Oplog.FindAsync(
            new BsonDocument("_id", new BsonDocument("$gt", afterIndex)),
            new FindOptions { Sort = new BsonDocument("_id", 1), Limit = limit },
            ct).ConfigureAwait(false);
        var docs = await cursor.ToListAsync(ct).ConfigureAwait(false);
        return docs.ConvertAll(OplogEntrySerializer.FromBson);
    }

    /// <summary>The term of the entry at <paramref name="index"/>, or null when absent.</summary>
    public async Task<long?> TermAtAsync(long index, CancellationToken ct)
    {
        var doc = await Oplog.FindOneAsync(new BsonDocument("_id", index), null, ct).ConfigureAwait(false);
        return doc is null ? null : OplogEntrySerializer.FromBson(doc).Position.Term;
    }

    /// <summary>The oldest retained entry (first in natural order, see <see cref="ReadLastPositionAsync"/>), or null.</summary>
    public async Task<OpPosition?> ReadOldestPositionAsync(CancellationToken ct)
    {
        var doc = await Oplog.FindOneAsync(new BsonDocument(), new FindOptions { Sort = new BsonDocument("$natural", 1) }, ct).ConfigureAwait(false);
        return doc is null ? null : OplogEntrySerializer.FromBson(doc).Position;
    }

    public async Task AppendAsync(IReadOnlyList<OplogEntry> entries, CancellationToken ct)
    {
        if (entries.Count > 0)
        {
            await Oplog.InsertManyAsync(entries.Select(OplogEntrySerializer.ToBson), new InsertManyOptions { IsOrdered = true }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Crash recovery: re-applies the oplog after the applied marker; returns the last position.</summary>
    public async Task<OpPosition> RecoverAsync(int batchSize, CancellationToken ct)
    {
        var record = await ReadReplicationAsync(ct).ConfigureAwait(false);
        var applied = record.Applied;
        while (true)
        {
            var tail = await ReadOplogAfterAsync(applied.Index, batchSize, ct).ConfigureAwait(false);
            if (tail.Count == 0)
            {
                return applied.IsZero ? await ReadLastPositionAsync(ct).ConfigureAwait(false) : applied;
            }

            await ApplyAsync(tail, ct).ConfigureAwait(false);
            applied = tail[^1].Position;
            await WriteReplicationAsync(record with { Applied = applied }, ct).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
