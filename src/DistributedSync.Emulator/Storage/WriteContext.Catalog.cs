using System.Collections.Immutable;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Storage;

public sealed partial class WriteContext
{
    /// <summary>Creates a collection; <see cref="ErrorCodes.NamespaceExists"/> when it exists.</summary>
    public CollectionInfo CreateCollection(string database, string collection, CollectionOptions options)
    {
        if (GetCollection(database, collection) is not null)
        {
            throw new ServerErrorException(ErrorCodes.NamespaceExists, $"Collection {database}.{collection} already exists.");
        }

        var tableId = _state.NextTableId;
        var idIndex = new IndexDefinition(
            "_id_",
            new BsonDocument("_id", 1),
            Unique: false,
            Sparse: false,
            new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } });
        var info = new CollectionInfo(database, collection, tableId, Guid.NewGuid(), options, [idIndex]);
        StorageEngine.Execute(_connection, $"CREATE TABLE {info.DocumentTable} (rid INTEGER PRIMARY KEY AUTOINCREMENT, idk BLOB NOT NULL UNIQUE, size INTEGER NOT NULL, doc BLOB NOT NULL);");
        _statements.Get("INSERT INTO _catalog (ns, db, coll, tid, uuid, options, indexes) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6);",
            info.Namespace, database, collection, tableId, info.Uuid.ToByteArray(), CatalogCodec.WriteOptions(options), CatalogCodec.WriteIndexes(info.Indexes)).ExecuteNonQuery();
        _state = new StorageState(_state.Collections.SetItem(info.Namespace, new CollectionState(info, 0, 0)), tableId + 1);
        return info;
    }

    /// <summary>The collection, created with default options when missing (implicit creation on write).</summary>
    public CollectionInfo GetOrCreateCollection(string database, string collection)
        => GetCollection(database, collection) ?? CreateCollection(database, collection, CollectionOptions.Default);

    /// <summary>Drops a collection and its indexes; false when it did not exist.</summary>
    public bool DropCollection(string database, string collection)
    {
        var info = GetCollection(database, collection);
        if (info is null)
        {
            return false;
        }

        foreach (var index in info.Indexes.Where(i => i.TableNumber != 0))
        {
            StorageEngine.Execute(_connection, $"DROP TABLE {info.IndexTable(index)};");
        }

        StorageEngine.Execute(_connection, $"DROP TABLE {info.DocumentTable};");
        _statements.Get("DELETE FROM _catalog WHERE ns = $p0;", info.Namespace).ExecuteNonQuery();
        _state = _state with { Collections = _state.Collections.Remove(info.Namespace) };
        return true;
    }

    /// <summary>Drops every collection of a database; returns how many were dropped.</summary>
    public int DropDatabase(string database)
    {
        var names = _state.Collections.Values.Where(s => s.Info.Database == database).Select(s => s.Info.Name).ToList();
        foreach (var name in names)
        {
            DropCollection(database, name);
        }

        return names.Count;
    }

    /// <summary>Renames a collection (documents, indexes and options move with it).</summary>
    public CollectionInfo RenameCollection(string fromDatabase, string fromCollection, string toDatabase, string toCollection, bool dropTarget)
    {
        var source = GetCollection(fromDatabase, fromCollection)
            ?? throw new ServerErrorException(ErrorCodes.NamespaceNotFound, "Source collection " + fromDatabase + "." + fromCollection + " does not exist");
        if (GetCollection(toDatabase, toCollection) is not null)
        {
            if (!dropTarget)
            {
                throw new ServerErrorException(ErrorCodes.NamespaceExists, "target namespace exists");
            }

            DropCollection(toDatabase, toCollection);
        }

        var state = _state.Collections[source.Namespace];
        var renamed = source with { Database = toDatabase, Name = toCollection };
        _statements.Get("UPDATE _catalog SET ns = $p0, db = $p1, coll = $p2 WHERE ns = $p3;", renamed.Namespace, toDatabase, toCollection, source.Namespace).ExecuteNonQuery();
        _state = _state with
        {
            Collections = _state.Collections.Remove(source.Namespace).SetItem(renamed.Namespace, state with { Info = renamed }),
        };
        return renamed;
    }

    /// <summary>
    /// Adds an index. A unique index gets a table of keys, filled from the existing documents;
    /// a duplicate among them fails the whole creation with <see cref="ErrorCodes.DuplicateKey"/>.
    /// Returns the collection with its new index list.
    /// </summary>
    public CollectionInfo CreateIndex(CollectionInfo collection, IndexDefinition index)
    {
        var state = Current(collection);
        var info = state.Info;
        var tableNumber = 0;
        if (index.Unique)
        {
            tableNumber = info.Indexes.Select(i => i.TableNumber).DefaultIfEmpty(0).Max() + 1;
        }

        var added = index with { TableNumber = tableNumber };
        var updated = info with { Indexes = info.Indexes.Add(added) };
        if (tableNumber != 0)
        {
            StorageEngine.Execute(_connection, $"CREATE TABLE {updated.IndexTable(added)} (k BLOB PRIMARY KEY, rid INTEGER NOT NULL) WITHOUT ROWID;");
            var only = updated with { Indexes = [added] };
            foreach (var doc in Scan(info))
            {
                InsertIndexEntries(only, doc.Document, doc.RecordId);
            }
        }

        SaveIndexes(updated);
        _state = _state with { Collections = _state.Collections.SetItem(info.Namespace, state with { Info = updated }) };
        return updated;
    }

    /// <summary>Removes an index by name; <see cref="ErrorCodes.IndexNotFound"/> when absent.</summary>
    public CollectionInfo DropIndex(CollectionInfo collection, string name)
    {
        var state = Current(collection);
        var info = state.Info;
        var index = info.Indexes.FirstOrDefault(i => i.Name == name)
            ?? throw new ServerErrorException(ErrorCodes.IndexNotFound, $"index not found with name [{name}]");
        if (index.TableNumber != 0)
        {
            StorageEngine.Execute(_connection, $"DROP TABLE {info.IndexTable(index)};");
        }

        var updated = info with { Indexes = info.Indexes.Remove(index) };
        SaveIndexes(updated);
        _state = _state with { Collections = _state.Collections.SetItem(info.Namespace, state with { Info = updated }) };
        return updated;
    }

    private void SaveIndexes(CollectionInfo info)
        => _statements.Get("UPDATE _catalog SET indexes = $p0 WHERE ns = $p1;", CatalogCodec.WriteIndexes(info.Indexes), info.Namespace).ExecuteNonQuery();
}
