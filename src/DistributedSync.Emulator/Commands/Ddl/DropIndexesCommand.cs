using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>dropIndexes</c> (alias <c>deleteIndexes</c>): drops one index by name or key pattern,
/// several by an array of names (all or none), or every index but <c>_id_</c> with
/// <c>"*"</c>. The <c>_id</c> index cannot be dropped (InvalidOptions); an unknown index is
/// IndexNotFound; a missing collection NamespaceNotFound. Replies <c>{nIndexesWas, msg?}</c>.
/// </summary>
public sealed class DropIndexesCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "index", "collectionUUID", "isTimeseriesNamespace" };

    /// <inheritdoc />
    public string Name => "dropIndexes";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["deleteIndexes"];

    /// <inheritdoc />
    public string Help => "drop indexes for a collection";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var index = context.Command.GetValueOrDefault("index") ?? throw CommandArgs.Missing(Name, "index");
        switch (index)
        {
            case BsonString or BsonDocument:
                break;
            case BsonArray names when names.All(n => n is BsonString):
                break;
            case BsonArray:
                throw CommandArgs.WrongType(Name, "index", index, "types '[string']");
            default:
                throw CommandArgs.WrongType(Name, "index", index, "types '[string, object']");
        }

        var durable = WriteConcernArgs.ParseDurable(context.Command);
        var database = context.DatabaseName;
        return await context.Storage.WriteAsync(
            write =>
            {
                var info = write.GetCollection(database, collection)
                    ?? throw new ServerErrorException(ErrorCodes.NamespaceNotFound, $"ns not found {database}.{collection}");
                var reply = new BsonDocument("nIndexesWas", info.Indexes.Count);
                if (index is BsonString { Value: "*" })
                {
                    foreach (var name in info.Indexes.Where(i => i.Name != "_id_").Select(i => i.Name).ToList())
                    {
                        info = write.DropIndex(info, name);
                    }

                    reply.Add("msg", "non-_id indexes dropped for collection");
                    return reply;
                }

                foreach (var name in Resolve(info, index))
                {
                    info = write.DropIndex(info, name);
                }

                return reply;
            },
            durable,
            cancellationToken).ConfigureAwait(false);
    }

    // The names of the indexes to drop, checked before anything is dropped.
    private static List<string> Resolve(CollectionInfo info, BsonValue index)
    {
        if (index is BsonDocument key)
        {
            var match = info.Indexes.Find(i => BsonValueComparer.Instance.Compare(i.Key, key) == 0)
                ?? throw new ServerErrorException(ErrorCodes.IndexNotFound, "can't find index with key: " + BsonText.Value(key));
            return [CheckNotId(match.Name)];
        }

        var names = index is BsonArray array ? array.Select(v => v.AsString).ToList() : [index.AsString];
        foreach (var name in names)
        {
            CheckNotId(name);
            if (!info.Indexes.Exists(i => i.Name == name))
            {
                throw new ServerErrorException(ErrorCodes.IndexNotFound, $"index not found with name [{name}]");
            }
        }

        return names;
    }

    private static string CheckNotId(string name)
        => name == "_id_" ? throw new ServerErrorException(ErrorCodes.InvalidOptions, "cannot drop _id index") : name;
}
