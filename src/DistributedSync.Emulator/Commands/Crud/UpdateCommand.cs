using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>update</c>: runs the statements of <c>updates</c> (body array or kind-1 sequence) in one
/// storage write. Each statement updates the first matching document, or all with
/// <c>multi</c>; with <c>upsert</c> and no match it inserts the document built from the filter
/// and the update. Replies <c>{n, writeErrors?, upserted?: [{index, _id}], nModified}</c>, with
/// statement failures as write errors (an ordered update stops at the first).
/// </summary>
public sealed class UpdateCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "updates", "ordered", "bypassDocumentValidation", "stmtId", "stmtIds", "let", "runtimeConstants", "isTimeseriesNamespace", "collectionUUID",
    };

    /// <inheritdoc />
    public string Name => "update";

    /// <inheritdoc />
    public string Help => "update documents";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var statements = WriteErrors.Statements(context, Name, "updates").Select(UpdateStatement.Parse).ToList();
        var ordered = WriteErrors.Ordered(context.Command, Name);
        CommandArgs.Bool(context.Command, Name, "bypassDocumentValidation");
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        NamespaceRules.CheckWrite(context.DatabaseName, collection);

        var errors = new WriteErrors();
        var upserted = new BsonArray();
        var database = context.DatabaseName;
        var time = context.Time;
        var attempted = 0;
        var (n, modified) = await context.Storage.WriteAsync(
            write =>
            {
                long matched = 0;
                long changed = 0;
                for (var i = 0; i < statements.Count; i++)
                {
                    attempted++;
                    try
                    {
                        var result = Run(write, database, collection, statements[i], time);
                        matched += result.N;
                        changed += result.Modified;
                        if (result.UpsertedId is { } id)
                        {
                            upserted.Add(new BsonDocument { { "index", i }, { "_id", id } });
                        }
                    }
                    catch (Exception ex) when (errors.TryAdd(i, ex))
                    {
                        if (ordered)
                        {
                            break;
                        }
                    }
                }

                return (matched, changed);
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        context.Server.Counters.RecordUpdate(attempted);
        var reply = new BsonDocument("n", Number(n));
        errors.AppendTo(reply);
        if (upserted.Count > 0)
        {
            reply.Add("upserted", upserted);
        }

        reply.Add("nModified", Number(modified));
        return reply;
    }

    /// <summary>An int when it fits (mongod's counts are ints), else a long.</summary>
    internal static BsonValue Number(long value) => value is >= int.MinValue and <= int.MaxValue ? (BsonValue)(int)value : value;

    private static (long N, long Modified, BsonValue? UpsertedId) Run(WriteContext write, string database, string collection, UpdateStatement statement, TimeProvider time)
    {
        var filter = FilterMatcher.Compile(statement.Query);
        var spec = statement.Compile();
        var info = write.GetCollection(database, collection);
        QuerySupport.CheckHint(statement.Hint, info, "update", () => QuerySupport.CanonicalQueryText(database + "." + collection, statement.Query, null, null));
        long n = 0;
        long modified = 0;
        if (info is not null)
        {
            foreach (var stored in UpdateExecutor.Matching(write, info, filter, !statement.Multi))
            {
                n++;
                if (UpdateExecutor.Apply(spec, stored, filter, time) is { } replacement)
                {
                    write.Replace(info, stored, replacement);
                    modified++;
                }
            }
        }

        if (n > 0 || !statement.Upsert)
        {
            return (n, modified, null);
        }

        var document = UpdateExecutor.UpsertDocument(spec, statement.Query, time);
        info ??= write.GetOrCreateCollection(database, collection);
        write.Insert(info, document);
        return (1, 0, document["_id"]);
    }
}
