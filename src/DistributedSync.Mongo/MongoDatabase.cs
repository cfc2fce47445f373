using DistributedSync.Bson;
using DistributedSync.Mongo.Connections;
using DistributedSync.Mongo.Operations;
using DistributedSync.Wire;

namespace DistributedSync.Mongo;

/// <summary>
/// A database on the client's server. Cheap to create and immutable: the <c>With...</c>
/// methods return a copy with other defaults.
/// </summary>
public sealed class MongoDatabase
{
    internal MongoDatabase(MongoClient client, string name, WriteConcern writeConcern, ReadConcern? readConcern)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.AsSpan().IndexOfAny("/\\. \"$\0") >= 0)
        {
            throw new ArgumentException($"'{name}' is not a valid database name.", nameof(name));
        }

        Client = client;
        Name = name;
        WriteConcern = writeConcern;
        ReadConcern = readConcern;
    }

    /// <summary>The client.</summary>
    public MongoClient Client { get; }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>The write concern used when a call gives none.</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The read concern used when a call gives none; null sends none.</summary>
    public ReadConcern? ReadConcern { get; }

    private OperationExecutor Executor => Client.Executor;

    /// <summary>A collection of this database (nothing is sent).</summary>
    public MongoCollection GetCollection(string name) => new(this, name, WriteConcern, ReadConcern);

    /// <summary>A copy with another default write concern.</summary>
    public MongoDatabase WithWriteConcern(WriteConcern writeConcern)
        => new(Client, Name, writeConcern ?? throw new ArgumentNullException(nameof(writeConcern)), ReadConcern);

    /// <summary>A copy with another default read concern (null for none).</summary>
    public MongoDatabase WithReadConcern(ReadConcern? readConcern) => new(Client, Name, WriteConcern, readConcern);

    /// <summary>
    /// Runs any command against this database and returns the reply (<c>ok: 1</c>). The
    /// command's first field names it; <c>$db</c> is added. Document sequences become OP_MSG
    /// kind-1 sections. A <c>writeConcernError</c> in the reply is left for the caller to inspect.
    /// </summary>
    /// <exception cref="MongoCommandException">The server answered <c>ok: 0</c>.</exception>
    public Task<BsonDocument> RunCommandAsync(BsonDocument command, IEnumerable<DocumentSequence>? sequences = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Executor.RunCommandAsync(Name, command, sequences is null ? null : [.. sequences], cancellationToken);
    }

    /// <summary>Creates a collection, e.g. a capped one: <c>new CreateCollectionOptions { Capped = true, MaxSize = 1 &lt;&lt; 20 }</c>.</summary>
    /// <exception cref="MongoCommandException">The collection exists already (code 48 NamespaceExists) or the options are invalid.</exception>
    public async Task CreateCollectionAsync(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var command = new BsonDocument("create", name);
        if (options is not null)
        {
            if (options.Capped)
            {
                if (options.MaxSize is not > 0)
                {
                    throw new ArgumentException("A capped collection needs a positive MaxSize.", nameof(options));
                }

                command.Add("capped", true).Add("size", options.MaxSize.Value);
                if (options.MaxDocuments is > 0)
                {
                    command.Add("max", options.MaxDocuments.Value);
                }
            }

            command.AddIf("validator", options.Validator).AddIf("collation", options.Collation);
            if (options.AdditionalFields is { } more)
            {
                foreach (var field in more)
                {
                    command.Set(field.Name, field.Value);
                }
            }
        }

        command.AddWriteConcern(options?.WriteConcern ?? WriteConcern);
        var reply = await RunCommandAsync(command, null, cancellationToken).ConfigureAwait(false);
        CommandReplies.ThrowOnWriteConcernError("create", reply);
    }

    /// <summary>Drops a collection; a missing collection is not an error.</summary>
    /// <exception cref="MongoWriteConcernException">The drop happened but the write concern failed.</exception>
    public async Task DropCollectionAsync(string name, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var command = new BsonDocument("drop", name).AddWriteConcern(writeConcern ?? WriteConcern);
        try
        {
            var reply = await RunCommandAsync(command, null, cancellationToken).ConfigureAwait(false);
            CommandReplies.ThrowOnWriteConcernError("drop", reply);
        }
        catch (MongoCommandException ex) when (ex.Code == 26 || ex.ErrorMessage == "ns not found")
        {
            // NamespaceNotFound: already gone.
        }
    }

    /// <summary>The <c>listCollections</c> entries (name, type, options, info, idIndex), optionally filtered.</summary>
    public async Task<IReadOnlyList<BsonDocument>> ListCollectionsAsync(BsonDocument? filter = null, CancellationToken cancellationToken = default)
    {
        var cursor = await OpenListCollectionsAsync(filter, nameOnly: false, cancellationToken).ConfigureAwait(false);
        return await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the collections (and views), optionally filtered.</summary>
    public async Task<IReadOnlyList<string>> ListCollectionNamesAsync(BsonDocument? filter = null, CancellationToken cancellationToken = default)
    {
        var cursor = await OpenListCollectionsAsync(filter, nameOnly: true, cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        await foreach (var entry in cursor.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (entry.GetValueOrDefault("name") is BsonString name)
            {
                names.Add(name.Value);
            }
        }

        return names;
    }

    /// <summary>Runs a database-level aggregation (<c>aggregate: 1</c>), e.g. <c>$currentOp</c> on admin.</summary>
    public Task<MongoCursor> AggregateAsync(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default)
        => AggregateCursor.OpenAsync(Executor, Name, null, Name + ".$cmd.aggregate", pipeline, options, ReadConcern, WriteConcern, cancellationToken);

    /// <summary>Drops the database.</summary>
    /// <exception cref="MongoWriteConcernException">The drop happened but the write concern failed.</exception>
    public async Task DropAsync(WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
    {
        var command = new BsonDocument("dropDatabase", 1).AddWriteConcern(writeConcern ?? WriteConcern);
        var reply = await RunCommandAsync(command, null, cancellationToken).ConfigureAwait(false);
        CommandReplies.ThrowOnWriteConcernError("dropDatabase", reply);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private async Task<MongoCursor> OpenListCollectionsAsync(BsonDocument? filter, bool nameOnly, CancellationToken cancellationToken)
    {
        var command = new BsonDocument("listCollections", 1).AddIf("filter", filter);
        if (nameOnly)
        {
            command.Add("nameOnly", true);
        }

        command.Add("cursor", new BsonDocument());
        var reply = await RunCommandAsync(command, null, cancellationToken).ConfigureAwait(false);
        return new MongoCursor(Executor, reply, new CursorOptions(Name + ".$cmd.listCollections"));
    }
}
