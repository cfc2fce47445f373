using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>distinct</c>: <c>{values}</c>, the distinct values of <c>key</c> among the documents
/// matching <c>query</c>. Like mongod, arrays along the path are expanded (an array at the end
/// contributes its elements), missing values contribute nothing, equal values (1 and 1.0)
/// appear once, and the values come out in mongod's sort order (it collects them in an ordered
/// set).
/// </summary>
public sealed class DistinctCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "key", "query", "collation", "hint", "sampleId" };

    /// <inheritdoc />
    public string Name => "distinct";

    /// <inheritdoc />
    public string Help => "{ distinct : 'collection name' , key : 'a.b' , query : {} }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, Name, Known);
        var key = CommandArgs.String(command, Name, "key") ?? throw CommandArgs.Missing(Name, "key");
        var query = CommandArgs.Document(command, Name, "query") ?? [];
        var maxTime = CommandArgs.MaxTimeMs(command, Name);
        CommandArgs.RequireSimpleCollation(command, Name);
        if (key.Length == 0)
        {
            throw new ServerErrorException(40352, "FieldPath cannot be constructed with empty string");
        }

        var filter = FilterMatcher.Compile(query);
        var deadline = OperationDeadline.After(context.Time, maxTime is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
        var path = PathSupport.Split(key);
        var values = new SortedSet<BsonValue>(BsonValueComparer.Instance);
        using (var read = context.Storage.OpenRead())
        {
            var info = read.GetCollection(context.DatabaseName, collection);
            QuerySupport.CheckHint(command.GetValueOrDefault("hint"), info, Name, () => QuerySupport.CanonicalQueryText(context.DatabaseName + "." + collection, query, null, null));
            if (info is not null)
            {
                foreach (var stored in QuerySupport.Matching(read, info, filter, deadline))
                {
                    Collect(stored.Document, path, 0, values);
                }
            }
        }

        return ValueTask.FromResult(new BsonDocument("values", new BsonArray(values)));
    }

    // mongod's extractAllElementsAlongPath: arrays in the middle are traversed (or indexed by a
    // numeric component), an array at the end contributes its elements.
    private static void Collect(BsonValue current, string[] path, int index, SortedSet<BsonValue> values)
    {
        if (index == path.Length)
        {
            if (current is BsonArray leaf)
            {
                foreach (var element in leaf)
                {
                    values.Add(element);
                }
            }
            else
            {
                values.Add(current);
            }

            return;
        }

        switch (current)
        {
            case BsonDocument document when document.TryGetValue(path[index], out var child):
                Collect(child, path, index + 1, values);
                break;
            case BsonArray array:
                if (PathSupport.TryParseIndex(path[index], out var position))
                {
                    if (position < array.Count)
                    {
                        Collect(array[position], path, index + 1, values);
                    }

                    break;
                }

                foreach (var element in array)
                {
                    if (element is BsonDocument)
                    {
                        Collect(element, path, index, values);
                    }
                }

                break;
        }
    }
}
