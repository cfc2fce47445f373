using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>delete</c>: runs the statements of <c>deletes</c> (<c>{q, limit: 0|1, hint, collation}</c>,
/// body array or kind-1 sequence) in one storage write; <c>limit: 1</c> deletes the first match
/// in natural order, 0 all of them. Replies <c>{n, writeErrors?}</c>.
/// </summary>
public sealed class DeleteCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "deletes", "ordered", "bypassDocumentValidation", "stmtId", "stmtIds", "let", "runtimeConstants", "isTimeseriesNamespace", "collectionUUID",
    };

    private static readonly HashSet<string> KnownStatement = new(StringComparer.Ordinal) { "q", "limit", "hint", "collation", "sampleId" };

    /// <inheritdoc />
    public string Name => "delete";

    /// <inheritdoc />
    public string Help => "delete documents";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var statements = WriteErrors.Statements(context, Name, "deletes").Select(Parse).ToList();
        var ordered = WriteErrors.Ordered(context.Command, Name);
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        NamespaceRules.CheckWrite(context.DatabaseName, collection);

        var errors = new WriteErrors();
        var database = context.DatabaseName;
        var attempted = 0;
        var deleted = await context.Storage.WriteAsync(
            write =>
            {
                long n = 0;
                for (var i = 0; i < statements.Count; i++)
                {
                    attempted++;
                    var (query, limitOne, hint) = statements[i];
                    try
                    {
                        var filter = FilterMatcher.Compile(query);
                        var info = write.GetCollection(database, collection);
                        QuerySupport.CheckHint(hint, info, Name, () => QuerySupport.CanonicalQueryText(database + "." + collection, query, null, null));
                        if (info is null)
                        {
                            continue;
                        }

                        foreach (var stored in UpdateExecutor.Matching(write, info, filter, limitOne))
                        {
                            write.Delete(info, stored);
                            n++;
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

                return n;
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        context.Server.Counters.RecordDelete(attempted);
        var reply = new BsonDocument("n", UpdateCommand.Number(deleted));
        errors.AppendTo(reply);
        return reply;
    }

    private static (BsonDocument Query, bool LimitOne, BsonValue? Hint) Parse(BsonDocument statement)
    {
        const string prefix = "delete.deletes";
        CommandArgs.RejectUnknown(statement, prefix, KnownStatement, first: 0);
        var query = CommandArgs.Document(statement, prefix, "q") ?? throw CommandArgs.Missing(prefix, "q");
        var limit = CommandArgs.Int64(statement, prefix, "limit") ?? throw CommandArgs.Missing(prefix, "limit");
        if (limit is not (0 or 1))
        {
            throw new ServerErrorException(ErrorCodes.FailedToParse, "The limit field in delete objects must be 0 or 1. Got " + limit.ToString(CultureInfo.InvariantCulture));
        }

        CommandArgs.RequireSimpleCollation(statement, prefix);
        return (query, limit == 1, statement.GetValueOrDefault("hint"));
    }
}
