using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>createIndexes</c>: adds the indexes of <c>indexes</c>, creating the collection when
/// missing. An index identical to an existing one is a no-op (<c>note: "all indexes already
/// exist"</c> when nothing was built); the same name with another key is IndexKeySpecsConflict
/// (86), the same key under another name or with other options IndexOptionsConflict (85). The
/// new indexes are built together: a duplicate key in the existing documents fails them all
/// ("Index build failed: ...", 11000). Replies
/// <c>{numIndexesBefore, numIndexesAfter, createdCollectionAutomatically?, note?}</c>.
/// </summary>
public sealed class CreateIndexesCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "indexes", "commitQuorum", "ignoreUnknownIndexOptions", "isTimeseriesNamespace", "collectionUUID", "returnOnStart",
    };

    /// <inheritdoc />
    public string Name => "createIndexes";

    /// <inheritdoc />
    public string Help => "create indexes on a collection";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var specs = CommandArgs.Array(context.Command, Name, "indexes") ?? throw CommandArgs.Missing(Name, "indexes");
        if (specs.Count == 0)
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "Must specify at least one index to create");
        }

        var definitions = specs.Select(IndexSpecParser.Parse).ToList();
        var durable = WriteConcernArgs.ParseDurable(context.Command);
        NamespaceRules.CheckCreate(context.DatabaseName, collection);
        var database = context.DatabaseName;
        var outcome = await context.Storage.WriteAsync(
            write =>
            {
                var existing = write.GetCollection(database, collection);
                var info = existing ?? write.GetOrCreateCollection(database, collection);
                var before = info.Indexes.Count;
                var toBuild = new List<IndexDefinition>();
                foreach (var definition in definitions)
                {
                    if (!AlreadyExists(definition, info.Indexes.Concat(toBuild)))
                    {
                        toBuild.Add(definition);
                    }
                }

                try
                {
                    info = write.Atomically(() => toBuild.Aggregate(info, write.CreateIndex));
                }
                catch (ServerErrorException ex) when (ex.Code == ErrorCodes.DuplicateKey)
                {
                    var failure = new ServerErrorException(ex.Code,
                        $"Index build failed: {Guid.NewGuid()}: Collection {info.Namespace} ( {info.Uuid} ) :: caused by :: {ex.Message}", ex.Extra);
                    return new Outcome(before, before, existing is null, 0, failure);
                }

                return new Outcome(before, info.Indexes.Count, existing is null, toBuild.Count, null);
            },
            durable,
            cancellationToken).ConfigureAwait(false);
        if (outcome.Error is { } error)
        {
            throw error;
        }

        var reply = new BsonDocument
        {
            { "numIndexesBefore", outcome.Before },
            { "numIndexesAfter", outcome.After },
        };
        if (outcome.Built == 0)
        {
            reply.Add("note", "all indexes already exist");
        }
        else
        {
            reply.Add("createdCollectionAutomatically", outcome.Created);
        }

        return reply;
    }

    // True when an identical index exists; throws mongod's conflict errors for near matches.
    private static bool AlreadyExists(IndexDefinition requested, IEnumerable<IndexDefinition> indexes)
    {
        var list = indexes.ToList();
        if (list.Find(i => i.Name == requested.Name) is { } sameName)
        {
            if (!SameKey(sameName, requested))
            {
                throw new ServerErrorException(ErrorCodes.IndexKeySpecsConflict,
                    "An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. "
                    + $"Requested index: {BsonText.Value(requested.Spec)}, existing index: {BsonText.Value(sameName.Spec)}");
            }

            if (!SameOptions(sameName, requested))
            {
                throw new ServerErrorException(ErrorCodes.IndexOptionsConflict,
                    $"An equivalent index already exists with the same name but different options. Requested index: {BsonText.Value(requested.Spec)}, existing index: {BsonText.Value(sameName.Spec)}");
            }

            return true;
        }

        if (list.Find(i => SameKey(i, requested)) is { } sameKey)
        {
            throw SameOptions(sameKey, requested)
                ? new ServerErrorException(ErrorCodes.IndexOptionsConflict, "Index already exists with a different name: " + sameKey.Name)
                : new ServerErrorException(ErrorCodes.IndexOptionsConflict,
                    $"An equivalent index already exists with a different name and options. Requested index: {BsonText.Value(requested.Spec)}, existing index: {BsonText.Value(sameKey.Spec)}");
        }

        return false;
    }

    private static bool SameKey(IndexDefinition a, IndexDefinition b) => BsonValueComparer.Instance.Compare(a.Key, b.Key) == 0;

    private static bool SameOptions(IndexDefinition a, IndexDefinition b)
        => a.Unique == b.Unique
            && a.Sparse == b.Sparse
            && Option(a, "hidden").ToBoolean() == Option(b, "hidden").ToBoolean()
            && BsonValueComparer.Instance.Compare(Option(a, "expireAfterSeconds"), Option(b, "expireAfterSeconds")) == 0;

    private static BsonValue Option(IndexDefinition index, string name) => index.Spec.GetValueOrDefault(name) ?? BsonNull.Value;

    private sealed record Outcome(int Before, int After, bool Created, int Built, ServerErrorException? Error);
}
