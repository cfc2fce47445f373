using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Projection;
using DistributedSync.Emulator.Query.Update;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>findAndModify</c> (alias <c>findandmodify</c>): atomically (one storage write) picks the
/// first document matching <c>query</c> in <c>sort</c> order and removes or updates it, or
/// upserts. Replies <c>{lastErrorObject: {n, updatedExisting?, upserted?}, value}</c> where value
/// is the document before the change, or after it with <c>new: true</c>, projected by
/// <c>fields</c>; null when nothing matched. Failures are command errors (no writeErrors).
/// </summary>
public sealed class FindAndModifyCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "query", "sort", "remove", "update", "new", "fields", "upsert", "bypassDocumentValidation",
        "arrayFilters", "hint", "collation", "let", "runtimeConstants", "stmtId", "collectionUUID",
    };

    /// <inheritdoc />
    public string Name => "findAndModify";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["findandmodify"];

    /// <inheritdoc />
    public string Help => "{ findAndModify: \"collection\", query: {processed:false}, update: {$set: {processed:true}}, new: true}";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, Name, Known);
        var query = CommandArgs.Document(command, Name, "query") ?? [];
        var sort = SortPlan.Parse(CommandArgs.Document(command, Name, "sort"));
        var fields = CommandArgs.Document(command, Name, "fields");
        var remove = CommandArgs.Bool(command, Name, "remove") ?? false;
        var returnNew = CommandArgs.Bool(command, Name, "new") ?? false;
        var upsert = CommandArgs.Bool(command, Name, "upsert") ?? false;
        var update = command.GetValueOrDefault("update") is { IsNull: false } u ? u : null;
        var arrayFilters = CommandArgs.Array(command, Name, "arrayFilters");
        var hint = command.GetValueOrDefault("hint");
        CommandArgs.Bool(command, Name, "bypassDocumentValidation");
        CommandArgs.RequireSimpleCollation(command, Name);
        var durable = WriteConcernArgs.ParseDurable(command);
        CheckCombination(update, remove, returnNew, upsert);
        if (update is not null and not (BsonDocument or BsonArray))
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Update argument must be either an object or an array");
        }

        NamespaceRules.CheckWrite(context.DatabaseName, collection);
        var filter = FilterMatcher.Compile(query);
        var projection = fields is { Count: > 0 } ? ProjectionSpec.Compile(fields) : null;
        var spec = update is null ? null : UpdateStatement.CompileUpdate(update, arrayFilters, multi: false);
        var database = context.DatabaseName;
        var time = context.Time;
        var (lastError, value) = await context.Storage.WriteAsync(
            write =>
            {
                var info = write.GetCollection(database, collection);
                QuerySupport.CheckHint(hint, info, Name, () => QuerySupport.CanonicalQueryText(database + "." + collection, query, null, null));
                var target = info is null ? null : Pick(write, info, filter, sort);
                if (remove)
                {
                    if (target is not null)
                    {
                        write.Delete(info!, target);
                    }

                    return (new BsonDocument("n", target is null ? 0 : 1), target?.Document);
                }

                return Modify(write, database, collection, info, target, spec!, filter, query, upsert, returnNew, time);
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        return new BsonDocument
        {
            { "lastErrorObject", lastError },
            { "value", value is null ? BsonNull.Value : projection is null ? value : projection.Apply(value) },
        };
    }

    private static void CheckCombination(BsonValue? update, bool remove, bool returnNew, bool upsert)
    {
        if (update is null && !remove)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Either an update or remove=true must be specified");
        }

        if (!remove)
        {
            return;
        }

        if (returnNew)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        }

        if (update is not null)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Cannot specify both an update and remove=true");
        }

        if (upsert)
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "Cannot specify both upsert=true and remove=true");
        }
    }

    // The first matching document in sort order (natural order without a sort).
    private static StoredDocument? Pick(WriteContext write, CollectionInfo info, FilterMatcher filter, SortPlan sort)
    {
        if (sort.IsNatural)
        {
            return UpdateExecutor.Matching(write, info, filter, firstOnly: true).FirstOrDefault();
        }

        var all = UpdateExecutor.Matching(write, info, filter, firstOnly: false).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        if (sort.Reverse)
        {
            return all[^1]; // {$natural: -1}: the newest match
        }

        var byDocument = all.ToDictionary(s => (object)s.Document, ReferenceEqualityComparer.Instance);
        var first = sort.Order(all.Select(s => s.Document), 0, 1)[0];
        return byDocument[first];
    }

    private static (BsonDocument LastError, BsonDocument? Value) Modify(
        WriteContext write, string database, string collection, CollectionInfo? info, StoredDocument? target, UpdateSpec spec,
        FilterMatcher filter, BsonDocument query, bool upsert, bool returnNew, TimeProvider time)
    {
        if (target is not null)
        {
            var replacement = UpdateExecutor.Apply(spec, target, filter, time);
            if (replacement is not null)
            {
                write.Replace(info!, target, replacement);
            }

            var lastError = new BsonDocument { { "n", 1 }, { "updatedExisting", true } };
            return (lastError, returnNew ? replacement ?? target.Document : target.Document);
        }

        if (!upsert)
        {
            return (new BsonDocument { { "n", 0 }, { "updatedExisting", false } }, null);
        }

        var document = UpdateExecutor.UpsertDocument(spec, query, time);
        info ??= write.GetOrCreateCollection(database, collection);
        write.Insert(info, document);
        var upserted = new BsonDocument { { "n", 1 }, { "updatedExisting", false }, { "upserted", document["_id"] } };
        return (upserted, returnNew ? document : null);
    }
}
