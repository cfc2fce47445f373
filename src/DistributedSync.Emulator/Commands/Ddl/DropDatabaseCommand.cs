using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>dropDatabase</c>: drops every collection of the database; <c>{ok: 1}</c> also when it
/// does not exist (mongod 5.0+ returns nothing else). The argument must be 1.
/// </summary>
public sealed class DropDatabaseCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "dropDatabase";

    /// <inheritdoc />
    public string Help => "drop (delete) this database";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.CommandValue.IsNumeric || context.CommandValue.ToDouble() != 1)
        {
            throw new ServerErrorException(5255100, "Have to pass 1 as 'drop' parameter");
        }

        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        var database = context.DatabaseName;
        await context.Storage.WriteAsync(write => write.DropDatabase(database), durable, cancellationToken).ConfigureAwait(false);
        return [];
    }
}
