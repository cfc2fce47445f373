using DistributedSync.Bson;
using DistributedSync.Mongo.Connections;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

/// <summary>
/// A collection of <see cref="BsonDocument"/>s. Cheap to create and immutable: the
/// <c>With...</c> methods return a copy with other defaults. Every operation is one or more
/// commands, sent without any hidden retry; errors surface as <see cref="MongoException"/>
/// subclasses and cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class MongoCollection
{
    internal MongoCollection(MongoDatabase database, string name, WriteConcern writeConcern, ReadConcern? readConcern)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Database = database;
        Name = name;
        WriteConcern = writeConcern;
        ReadConcern = readConcern;
    }

    /// <summary>The database.</summary>
    public MongoDatabase Database { get; }

    /// <summary>The collection name.</summary>
    public string Name { get; }

    /// <summary>The namespace: <c>database.collection</c>.</summary>
    public string FullName => Database.Name + "." + Name;

    /// <summary>The write concern used when a call gives none.</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The read concern used when a call gives none; null sends none.</summary>
    public ReadConcern? ReadConcern { get; }

    private OperationExecutor Executor => Database.Client.Executor;

    /// <summary>A copy with another default write concern.</summary>
    public MongoCollection WithWriteConcern(WriteConcern writeConcern)
        => new(Database, Name, writeConcern ?? throw new ArgumentNullException(nameof(writeConcern)), ReadConcern);

    /// <summary>A copy with another default read concern (null for none).</summary>
    public MongoCollection WithReadConcern(ReadConcern? readConcern) => new(Database, Name, WriteConcern, readConcern);

    /// <inheritdoc />
    public override string ToString() => FullName;

    private Task<BsonDocument> RunAsync(BsonDocument command, CancellationToken cancellationToken)
        => Executor.RunCommandAsync(Database.Name, command, null, cancellationToken);

    private async Task<MongoCursor> OpenCursorAsync(BsonDocument command, CursorOptions options, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        return new MongoCursor(Executor, reply, options);
    }

    private static void ThrowOnWriteConcernError(string commandName, BsonDocument reply)
        => CommandReplies.ThrowOnWriteConcernError(commandName, reply);
}
