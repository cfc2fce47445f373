using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>insert</c>: stores the documents of <c>documents</c> (body array or kind-1 sequence) in one
/// storage write (one group-commit item, so a batch is one transaction), creating the collection
/// on first use. Each document is prepared as mongod does (<see cref="InsertPreparation"/>);
/// failures become <c>writeErrors</c> with the document's index, an ordered insert stopping at
/// the first one. <c>writeConcern: {j: true}</c> makes the commit durable. Replies
/// <c>{n, writeErrors?}</c>.
/// </summary>
public sealed class InsertCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "documents", "ordered", "bypassDocumentValidation", "stmtId", "stmtIds", "isTimeseriesNamespace", "collectionUUID",
    };

    /// <inheritdoc />
    public string Name => "insert";

    /// <inheritdoc />
    public string Help => "insert documents";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var received = WriteErrors.ReceivedStatements(context, "documents");
        var documents = received is null ? WriteErrors.Statements(context, Name, "documents") : null;
        var count = received?.Count ?? documents!.Count;
        var ordered = WriteErrors.Ordered(context.Command, Name);
        CommandArgs.Bool(context.Command, Name, "bypassDocumentValidation");
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        NamespaceRules.CheckWrite(context.DatabaseName, collection);

        // Validation and encoding run before the write so the writer thread only stores. Documents
        // of a kind-1 sequence are prepared from the bytes the connection received.
        var prepared = new object[count];
        for (var i = 0; i < count; i++)
        {
            try
            {
                prepared[i] = received is null
                    ? InsertPreparation.PrepareForStorage(documents![i], context.Time)
                    : ReceivedInsertPreparation.Prepare(received, i, context.Time);
            }
            catch (ServerErrorException ex)
            {
                prepared[i] = ex;
            }
        }

        var errors = new WriteErrors();
        var database = context.DatabaseName;
        var attempted = 0;
        var inserted = await context.Storage.WriteAsync(
            write =>
            {
                var n = 0;
                CollectionInfo? info = null;
                for (var i = 0; i < prepared.Length; i++)
                {
                    attempted++;
                    try
                    {
                        if (prepared[i] is Exception invalid)
                        {
                            throw invalid;
                        }

                        info ??= write.GetOrCreateCollection(database, collection);
                        var document = (PreparedInsert)prepared[i];
                        if (info.Options.Capped && document.Bytes.Length > info.Options.MaxSize)
                        {
                            throw new ServerErrorException(ErrorCodes.BadValue, "object to insert exceeds cappedMaxSize");
                        }

                        write.Insert(info, document.Id, document.Bytes, document.Document);
                        n++;
                    }
                    catch (Exception ex) when (errors.TryAdd(i, ex))
                    {
                        if (ordered)
                        {
                            break;
                        }
                    }
                }

                return n;
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        context.Server.Counters.RecordInsert(attempted);
        var reply = new BsonDocument("n", inserted);
        errors.AppendTo(reply);
        return reply;
    }
}
