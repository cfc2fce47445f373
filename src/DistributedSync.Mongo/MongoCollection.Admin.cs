using DistributedSync.Bson;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

public sealed partial class MongoCollection
{
    private const int NamespaceNotFound = 26;

    /// <summary>Drops the collection; dropping a collection that does not exist is not an error.</summary>
    /// <exception cref="MongoWriteConcernException">The drop happened but the write concern failed.</exception>
    public Task DropAsync(WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
        => Database.DropCollectionAsync(Name, writeConcern ?? WriteConcern, cancellationToken);

    /// <summary>Creates indexes (one <c>createIndexes</c> command); returns their names. Existing identical indexes are fine.</summary>
    /// <exception cref="MongoCommandException">The server refused an index (e.g. a conflicting definition).</exception>
    public async Task<IReadOnlyList<string>> CreateIndexesAsync(IEnumerable<CreateIndexModel> models, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        CreateIndexModel[] list = [.. models];
        if (list.Length == 0)
        {
            throw new ArgumentException("CreateIndexes needs at least one index.", nameof(models));
        }

        var indexes = new BsonArray(list.Length);
        foreach (var model in list)
        {
            indexes.Add((model ?? throw new ArgumentException("An index model is null.", nameof(models))).ToBsonDocument());
        }

        var command = new BsonDocument { { "createIndexes", Name }, { "indexes", indexes } }
            .AddWriteConcern(writeConcern ?? WriteConcern);
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        ThrowOnWriteConcernError("createIndexes", reply);
        return [.. list.Select(m => m.EffectiveName)];
    }

    /// <summary>Creates one index; returns its name.</summary>
    public async Task<string> CreateIndexAsync(CreateIndexModel model, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
        => (await CreateIndexesAsync([model], writeConcern, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The collection's index specifications; empty when the collection does not exist.</summary>
    public async Task<IReadOnlyList<BsonDocument>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        var command = new BsonDocument { { "listIndexes", Name }, { "cursor", new BsonDocument() } };
        MongoCursor cursor;
        try
        {
            cursor = await OpenCursorAsync(command, new CursorOptions(FullName), cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceNotFound)
        {
            return [];
        }

        return await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops one index by name.</summary>
    /// <exception cref="MongoCommandException">No such index (code 27 IndexNotFound) or the server refused.</exception>
    public Task DropIndexAsync(string name, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return DropIndexesCoreAsync(name, writeConcern, cancellationToken);
    }

    /// <summary>Drops every index except the one on <c>_id</c>.</summary>
    public Task DropIndexesAsync(WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
        => DropIndexesCoreAsync("*", writeConcern, cancellationToken);

    private async Task DropIndexesCoreAsync(string index, WriteConcern? writeConcern, CancellationToken cancellationToken)
    {
        var command = new BsonDocument { { "dropIndexes", Name }, { "index", index } }
            .AddWriteConcern(writeConcern ?? WriteConcern);
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        ThrowOnWriteConcernError("dropIndexes", reply);
    }
}
