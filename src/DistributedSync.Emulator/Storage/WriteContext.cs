using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// What a write request can do, on the writer thread, inside its own savepoint (or a transaction of
/// its own when no other request shares the group). Every change
/// becomes visible to readers only when the group's transaction commits. Not thread-safe: use it
/// only inside the delegate given to <see cref="StorageEngine.WriteAsync{T}"/>.
/// </summary>
public sealed partial class WriteContext
{
    private const int SqliteConstraint = 19;
    private readonly SqliteConnection _connection;
    private readonly StatementCache _statements;
    private StorageState _state;
    private StorageState _itemStart;
    private CollectionInfo? _insertInfo;
    private SqliteCommand? _insertCommand;

    internal WriteContext(SqliteConnection connection, StatementCache statements, StorageState state)
    {
        _connection = connection;
        _statements = statements;
        _state = state;
        _itemStart = state;
    }

    /// <summary>The working catalog, including this group's uncommitted changes.</summary>
    internal StorageState State => _state;

    /// <summary>The collection as of this transaction, or null.</summary>
    public CollectionInfo? GetCollection(string database, string collection)
        => _state.Collections.TryGetValue(database + "." + collection, out var s) ? s.Info : null;

    /// <summary>Document count and total size as of this transaction.</summary>
    public (long Count, long Bytes) GetCounters(CollectionInfo collection)
        => _state.Collections.TryGetValue(collection.Namespace, out var s) ? (s.Count, s.Bytes) : (0, 0);

    /// <summary>
    /// Inserts a document that already has an <c>_id</c>. Enforces the unique <c>_id</c> and every
    /// unique index (<see cref="ErrorCodes.DuplicateKey"/>), then trims a capped collection.
    /// Returns the new record id. Atomic: a refused document leaves no row and no index entry.
    /// </summary>
    public long Insert(CollectionInfo collection, BsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.TryGetValue("_id", out var id))
        {
            throw new ServerErrorException(ErrorCodes.InvalidIdField, "document to insert has no _id field");
        }

        return Insert(collection, id, BsonCodec.ToBytes(document), document);
    }

    /// <summary>
    /// <see cref="Insert(CollectionInfo, BsonDocument)"/> of an encoded document: <paramref name="bytes"/>
    /// are stored as given and must be a valid BSON document whose <c>_id</c> is
    /// <paramref name="id"/>; <paramref name="document"/> is their decoded form, or null to
    /// decode them only if an index needs the fields.
    /// </summary>
    internal long Insert(CollectionInfo collection, BsonValue id, byte[] bytes, BsonDocument? document)
        => HasSecondaryUniqueIndex(Current(collection).Info)
            ? Atomically(() => InsertCore(collection, id, bytes, document ?? BsonCodec.Decode(bytes)))
            : InsertCore(collection, id, bytes, document);

    /// <summary>
    /// Replaces a stored document (same record id, so natural order is kept). Atomic: a duplicate
    /// key on a unique index leaves the old document and its index entries in place.
    /// </summary>
    public void Replace(CollectionInfo collection, StoredDocument old, BsonDocument replacement)
    {
        if (HasSecondaryUniqueIndex(Current(collection).Info))
        {
            Atomically(() =>
            {
                ReplaceCore(collection, old, replacement);
                return 0;
            });
        }
        else
        {
            ReplaceCore(collection, old, replacement);
        }
    }

    // The row is written before the unique index entries; callers go through Insert, which makes
    // the pair atomic when a unique index could still refuse the document.
    private long InsertCore(CollectionInfo collection, BsonValue id, byte[] bytes, BsonDocument? document)
    {
        var state = Current(collection);
        var info = state.Info;
        long recordId;
        try
        {
            var command = InsertCommand(info);
            command.Parameters[0].Value = IndexKeyEncoder.Encode(id);
            command.Parameters[1].Value = bytes.Length;
            command.Parameters[2].Value = bytes;
            recordId = (long)command.ExecuteScalar()!;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            throw DuplicateKey(info, "_id_", new BsonDocument("_id", 1), [id]);
        }

        if (document is not null)
        {
            InsertIndexEntries(info, document, recordId);
        }

        SetCounters(state with { Count = state.Count + 1, Bytes = state.Bytes + bytes.Length });
        if (info.Options.Capped)
        {
            TrimCapped(info);
        }

        return recordId;
    }

    // The prepared INSERT of a collection's table, kept for the run of inserts of a batch.
    private SqliteCommand InsertCommand(CollectionInfo info)
    {
        if (!ReferenceEquals(info, _insertInfo))
        {
            _insertCommand = _statements.Get($"INSERT INTO {info.DocumentTable} (idk, size, doc) VALUES ($p0, $p1, $p2) RETURNING rid;", 3);
            _insertInfo = info;
        }

        return _insertCommand!;
    }

    private void ReplaceCore(CollectionInfo collection, StoredDocument old, BsonDocument replacement)
    {
        var state = Current(collection);
        var info = state.Info;
        var bytes = BsonCodec.ToBytes(replacement);
        if (info.Options.Capped && bytes.Length != old.Size)
        {
            throw new ServerErrorException(ErrorCodes.IllegalOperation, "Cannot change the size of a document in a capped collection: " + old.Size + " != " + bytes.Length);
        }

        DeleteIndexEntries(info, old.Document, old.RecordId);
        var command = _statements.Get($"UPDATE {info.DocumentTable} SET size = $p0, doc = $p1 WHERE rid = $p2;", bytes.Length, bytes, old.RecordId);
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"Record {old.RecordId} of {info.Namespace} vanished during an update.");
        }

        InsertIndexEntries(info, replacement, old.RecordId);
        SetCounters(state with { Bytes = state.Bytes - old.Size + bytes.Length });
    }

    /// <summary>Deletes a stored document.</summary>
    public void Delete(CollectionInfo collection, StoredDocument document)
    {
        var state = Current(collection);
        var info = state.Info;
        DeleteIndexEntries(info, document.Document, document.RecordId);
        if (_statements.Get($"DELETE FROM {info.DocumentTable} WHERE rid = $p0;", document.RecordId).ExecuteNonQuery() == 1)
        {
            SetCounters(state with { Count = state.Count - 1, Bytes = state.Bytes - document.Size });
        }
    }

    /// <summary>Documents in natural order with a record id above <paramref name="afterRecordId"/>.</summary>
    public IEnumerable<StoredDocument> Scan(CollectionInfo collection, long afterRecordId = 0)
        => DocumentReader.Scan(_connection, Current(collection).Info, afterRecordId, null);

    /// <summary>The document whose <c>_id</c> equals <paramref name="id"/> (mongod's equality), or null.</summary>
    public StoredDocument? FindById(CollectionInfo collection, BsonValue id)
        => DocumentReader.FindById(_connection, Current(collection).Info, id);

    internal void BeginItem() => _itemStart = _state;

    internal void RollbackItem() => _state = _itemStart;

    private CollectionState Current(CollectionInfo collection)
        => _state.Collections.TryGetValue(collection.Namespace, out var s) && s.Info.TableId == collection.TableId
            ? s
            : throw new ServerErrorException(ErrorCodes.NamespaceNotFound, $"Collection {collection.Namespace} was dropped during the operation.");

    private void SetCounters(CollectionState state)
        => _state = _state with { Collections = _state.Collections.SetItem(state.Info.Namespace, state) };

    private void TrimCapped(CollectionInfo info)
    {
        var state = Current(info);
        while (state.Count > 0 && (state.Bytes > info.Options.MaxSize || (info.Options.MaxDocuments is { } max && state.Count > max)))
        {
            var oldest = DocumentReader.Scan(_connection, info, 0, 1).FirstOrDefault();
            if (oldest is null)
            {
                break;
            }

            Delete(info, oldest);
            state = Current(info);
        }
    }

    private void InsertIndexEntries(CollectionInfo info, BsonDocument document, long recordId)
    {
        foreach (var index in info.Indexes)
        {
            if (index.TableNumber == 0)
            {
                continue;
            }

            foreach (var entry in IndexKeys.Extract(document, index))
            {
                try
                {
                    _statements.Get($"INSERT INTO {info.IndexTable(index)} (k, rid) VALUES ($p0, $p1);", entry.Key, recordId).ExecuteNonQuery();
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
                {
                    throw DuplicateKey(info, index.Name, index.Key, entry.Values);
                }
            }
        }
    }

    private void DeleteIndexEntries(CollectionInfo info, BsonDocument document, long recordId)
    {
        foreach (var index in info.Indexes)
        {
            if (index.TableNumber == 0)
            {
                continue;
            }

            foreach (var entry in IndexKeys.Extract(document, index))
            {
                _statements.Get($"DELETE FROM {info.IndexTable(index)} WHERE k = $p0 AND rid = $p1;", entry.Key, recordId).ExecuteNonQuery();
            }
        }
    }

    private static ServerErrorException DuplicateKey(CollectionInfo info, string indexName, BsonDocument keyPattern, IReadOnlyList<BsonValue> values)
    {
        var keyValue = new BsonDocument();
        var i = 0;
        foreach (var field in keyPattern)
        {
            keyValue.Set(field.Name, values[i++]);
        }

        var message = $"E11000 duplicate key error collection: {info.Namespace} index: {indexName} dup key: {FormatDupKey(keyValue)}";
        return new ServerErrorException(ErrorCodes.DuplicateKey, message, new BsonDocument
        {
            { "keyPattern", keyPattern },
            { "keyValue", keyValue },
        });
    }

    // mongod prints the key as "{ field: value }" in its shell-like notation.
    private static string FormatDupKey(BsonDocument keyValue)
        => "{ " + string.Join(", ", keyValue.Select(e => e.Name + ": " + Bson.Json.ExtendedJson.Write(e.Value, Bson.Json.ExtendedJsonMode.Relaxed))) + " }";
}
