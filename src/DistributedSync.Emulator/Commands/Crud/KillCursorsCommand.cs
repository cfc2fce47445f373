using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>killCursors</c>: closes the listed cursors of the collection and reports
/// <c>{cursorsKilled, cursorsNotFound, cursorsAlive, cursorsUnknown}</c> as mongod does (the
/// last two are always empty on a standalone). Every id must be a long.
/// </summary>
public sealed class KillCursorsCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "cursors" };

    /// <inheritdoc />
    public string Name => "killCursors";

    /// <inheritdoc />
    public string Help => "Kill a list of cursor ids";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var ids = CommandArgs.Array(context.Command, Name, "cursors") ?? throw CommandArgs.Missing(Name, "cursors");
        var parsed = new List<long>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not BsonInt64 id)
            {
                throw CommandArgs.WrongType(Name, "cursors." + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ids[i], "type 'long'");
            }

            parsed.Add(id.Value);
        }

        var ns = context.DatabaseName + "." + collection;
        var manager = CursorManager.For(context.Server);
        var killed = new BsonArray();
        var notFound = new BsonArray();
        foreach (var id in parsed)
        {
            (manager.Kill(id, ns) ? killed : notFound).Add(new BsonInt64(id));
        }

        return ValueTask.FromResult(new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
        });
    }
}
