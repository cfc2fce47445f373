using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Cursors;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>The cursor replies of listCollections and listIndexes (everything in the first batch by default).</summary>
internal static class ListingCursor
{
    /// <summary>The <c>cursor.batchSize</c> option, or null for no limit.</summary>
    public static long? BatchSize(BsonDocument command, string commandName)
    {
        var options = CommandArgs.Document(command, commandName, "cursor");
        return options is null ? null : CommandArgs.Int64AtLeast(options, commandName + ".cursor", "batchSize", 0);
    }

    /// <summary>The reply, registering a cursor when results remain for getMore.</summary>
    public static BsonDocument Reply(CommandContext context, string collection, IReadOnlyList<BsonDocument> results, long? batchSize)
    {
        var cursor = new BufferedCursor(context.DatabaseName, collection, Crud.FindCommand.Owner(context), results);
        var first = batchSize is null
            ? cursor.NextBatch(context.Storage, null, OperationDeadline.None).Documents
            : batchSize == 0 ? [] : cursor.NextBatch(context.Storage, (int)Math.Min(batchSize.Value, int.MaxValue), OperationDeadline.None).Documents;
        var id = cursor.Remaining > 0 ? CursorManager.For(context.Server).Register(cursor) : 0;
        return CursorReply.Listing(first, id, cursor.Namespace);
    }
}
