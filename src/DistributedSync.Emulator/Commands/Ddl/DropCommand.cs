using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>drop</c>: removes a collection with its indexes; replies <c>{nIndexesWas, ns}</c>. Since
/// MongoDB 7.0 (SERVER-43894) dropping a missing collection is a no-op that succeeds with a
/// bare <c>{ok: 1}</c>; before, it was NamespaceNotFound.
/// </summary>
public sealed class DropCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "collectionUUID" };

    /// <inheritdoc />
    public string Name => "drop";

    /// <inheritdoc />
    public string Help => "drop a collection\n{drop : <collectionName>}";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        var database = context.DatabaseName;
        var indexes = await context.Storage.WriteAsync(
            write =>
            {
                var info = write.GetCollection(database, collection);
                if (info is null)
                {
                    return -1;
                }

                write.DropCollection(database, collection);
                return info.Indexes.Count;
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        if (indexes < 0)
        {
            return [];
        }

        return new BsonDocument
        {
            { "nIndexesWas", indexes },
            { "ns", database + "." + collection },
        };
    }
}
