using System.Text;
using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// The query-planning pieces shared by find, count, distinct, aggregate and the writes: reading
/// the matching documents of a collection (by primary key for an exact <c>_id</c> filter, else by
/// a scan in natural order), checking a <c>hint</c> against the indexes, and mongod's rendering
/// of a canonical query in its "error processing query" messages.
/// </summary>
internal static class QuerySupport
{
    /// <summary>The stored documents matching <paramref name="filter"/>, in natural order.</summary>
    public static IEnumerable<StoredDocument> Matching(ReadContext read, CollectionInfo collection, FilterMatcher filter, OperationDeadline deadline)
        => Matching(read, collection, filter, deadline, reverse: false);

    /// <summary>
    /// The stored documents matching <paramref name="filter"/>, in natural order or, when
    /// <paramref name="reverse"/>, newest first. Lazy: a caller that stops early (a limit) reads
    /// only what it consumed.
    /// </summary>
    public static IEnumerable<StoredDocument> Matching(ReadContext read, CollectionInfo collection, FilterMatcher filter, OperationDeadline deadline, bool reverse)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.ExactId is { } id)
        {
            var found = read.FindById(collection, id);
            if (found is not null && filter.Matches(found.Document))
            {
                yield return found;
            }

            yield break;
        }

        var examined = 0;
        foreach (var stored in reverse ? read.ScanReverse(collection) : read.Scan(collection))
        {
            if (++examined % 64 == 0)
            {
                deadline.ThrowIfExpired();
            }

            if (filter.IsMatchAll || filter.Matches(stored.Document))
            {
                yield return stored;
            }
        }
    }

    /// <summary>
    /// Checks <paramref name="hint"/> (an index name, a key pattern or <c>{$natural: ±1}</c>)
    /// against the collection's indexes; mongod's BadValue when no index corresponds. A hint on a
    /// missing collection is ignored, as mongod does.
    /// </summary>
    public static void CheckHint(BsonValue? hint, CollectionInfo? collection, string commandName, Func<string> describeQuery)
    {
        ArgumentNullException.ThrowIfNull(describeQuery);
        if (hint is null or BsonNull || collection is null)
        {
            return;
        }

        var found = hint switch
        {
            BsonString { Value.Length: 0 } or BsonDocument { Count: 0 } => true,
            BsonString name => collection.Indexes.Exists(i => i.Name == name.Value),
            BsonDocument { Count: 1 } natural when natural[0].Name == "$natural" => true,
            BsonDocument keys => collection.Indexes.Exists(i => BsonValueComparer.Instance.Compare(i.Key, keys) == 0),
            _ => throw CommandArgs.WrongType(commandName, "hint", hint, "types '[string, object']"),
        };
        if (!found)
        {
            throw new ServerErrorException(ErrorCodes.BadValue,
                "error processing query: " + describeQuery() + " planner returned error :: caused by :: hint provided does not correspond to an existing index");
        }
    }

    /// <summary>
    /// mongod's text of a canonical query: <c>ns=db.collTree: ...\nSort: {...}\nProj: {...}\n</c>
    /// (the filter tree rendered in its debug format, approximated for complex filters).
    /// </summary>
    public static string CanonicalQueryText(string ns, BsonDocument? filter, BsonDocument? sort, BsonDocument? projection)
    {
        var sb = new StringBuilder("ns=").Append(ns).Append("Tree: ");
        AppendTree(sb, filter ?? [], 0);
        sb.Append("Sort: ").Append(Render(sort)).Append("\nProj: ").Append(Render(projection)).Append('\n');
        return sb.ToString();
    }

    private static string Render(BsonDocument? document) => document is null || document.Count == 0 ? "{}" : BsonText.Value(document);

    private static void AppendTree(StringBuilder sb, BsonDocument filter, int indent)
    {
        var predicates = filter.Where(e => e.Name != "$comment").ToList();
        if (predicates.Count == 1 && !predicates[0].Name.StartsWith('$'))
        {
            AppendPredicate(sb, predicates[0], indent);
            return;
        }

        sb.Append(' ', indent * 4).Append("$and\n");
        foreach (var element in predicates)
        {
            AppendPredicate(sb, element, indent + 1);
        }
    }

    private static void AppendPredicate(StringBuilder sb, BsonElement element, int indent)
    {
        var (name, value) = element;
        if (value is BsonDocument operators && operators.Count > 0 && operators[0].Name.StartsWith('$'))
        {
            foreach (var (op, operand) in operators)
            {
                sb.Append(' ', indent * 4).Append(name).Append(' ').Append(op).Append(' ').Append(BsonText.Value(operand)).Append('\n');
            }

            return;
        }

        sb.Append(' ', indent * 4).Append(name).Append(" $eq ").Append(BsonText.Value(value)).Append('\n');
    }
}
