using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>renameCollection</c> (admin only): <c>{renameCollection: "db.a", to: "db.b", dropTarget}</c>
/// moves a collection with its documents, indexes and options, also across databases. A missing
/// source is NamespaceNotFound, an existing target NamespaceExists unless <c>dropTarget</c>,
/// renaming to itself IllegalOperation, invalid namespaces InvalidNamespace.
/// </summary>
public sealed class RenameCollectionCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "to", "dropTarget", "stayTemp", "collectionUUID", "newTargetCollectionUuid" };

    /// <inheritdoc />
    public string Name => "renameCollection";

    /// <inheritdoc />
    public bool AdminOnly => true;

    /// <inheritdoc />
    public string Help => " example: { renameCollection: foo.a, to: bar.b }";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        if (context.CommandValue is not BsonString source)
        {
            throw CommandArgs.WrongType(Name, Name, context.CommandValue, "type 'string'");
        }

        CommandArgs.RejectUnknown(command, Name, Known);
        var target = CommandArgs.String(command, Name, "to") ?? throw CommandArgs.Missing(Name, "to");
        var dropTarget = command.GetValueOrDefault("dropTarget") is { } drop && drop is not BsonBinaryData && drop.ToBoolean();
        var (fromDb, fromColl) = Split(source.Value, "source");
        var (toDb, toColl) = Split(target, "target");
        if (source.Value == target)
        {
            throw new ServerErrorException(ErrorCodes.IllegalOperation, "Can't rename a collection to itself");
        }

        NamespaceRules.CheckWrite(fromDb, fromColl);
        NamespaceRules.CheckCreate(toDb, toColl);
        var durable = WriteConcernArgs.ParseDurable(command);
        await context.Storage.WriteAsync(write => write.RenameCollection(fromDb, fromColl, toDb, toColl, dropTarget), durable, cancellationToken).ConfigureAwait(false);
        return [];
    }

    private static (string Database, string Collection) Split(string ns, string role)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == ns.Length - 1)
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, $"Invalid {role} namespace: {ns}");
        }

        return (ns[..dot], ns[(dot + 1)..]);
    }
}
