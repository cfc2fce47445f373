using System.Diagnostics.CodeAnalysis;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>
/// A compiled query filter. Compile once with <see cref="Compile"/> (which throws
/// <see cref="QueryException"/> for invalid filters, as mongod would reject them), then call
/// <see cref="Matches(BsonDocument)"/> for each candidate document.
/// </summary>
internal sealed class FilterMatcher
{
    private FilterMatcher(MatchNode root, BsonValue? exactId)
    {
        Root = root;
        ExactId = exactId;
    }

    /// <summary>A matcher for the empty filter: every document matches.</summary>
    public static FilterMatcher MatchAll { get; } = new(ConstantNode.True, null);

    /// <summary>
    /// The <c>_id</c> value when the filter is exactly <c>{_id: value}</c> (or <c>{_id: {$eq: value}}</c>),
    /// so storage can use its primary key; see <see cref="TryGetExactId"/>.
    /// </summary>
    public BsonValue? ExactId { get; }

    /// <summary>True when the filter matches every document (it was empty or only <c>$comment</c>).</summary>
    public bool IsMatchAll => Root is ConstantNode { Result: true };

    internal MatchNode Root { get; }

    /// <summary>Parses and validates a filter.</summary>
    public static FilterMatcher Compile(BsonDocument filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var root = FilterParser.Parse(filter);
        TryGetExactId(filter, out var id);
        return new FilterMatcher(root, id);
    }

    /// <summary>True when <paramref name="doc"/> satisfies the filter.</summary>
    public bool Matches(BsonDocument doc) => Root.Matches(doc, null);

    /// <summary>
    /// True when <paramref name="doc"/> satisfies the filter; <paramref name="arrayOffset"/> is the
    /// position, in the first array the match went through, of the matching element (what the
    /// positional <c>$</c> update operator addresses), or -1.
    /// </summary>
    public bool Matches(BsonDocument doc, out int arrayOffset)
    {
        var details = new MatchDetails();
        var matched = Root.Matches(doc, details);
        arrayOffset = matched ? details.ArrayOffset : -1;
        return matched;
    }

    /// <summary>
    /// Recognizes a filter that selects by <c>_id</c> equality only: <c>{_id: v}</c> or
    /// <c>{_id: {$eq: v}}</c> (plus any <c>$comment</c>), where v is not an array, a regex,
    /// undefined or an operator document. The filter then matches exactly the documents whose
    /// <c>_id</c> equals v under <see cref="BsonValueComparer"/> (numbers by value: 1, 1L and 1.0
    /// are the same key), so a caller looking the key up must normalize numbers the same way.
    /// </summary>
    public static bool TryGetExactId(BsonDocument filter, [NotNullWhen(true)] out BsonValue? id)
    {
        id = null;
        BsonValue? candidate = null;
        foreach (var element in filter)
        {
            if (element.Name == "$comment")
            {
                continue;
            }

            if (element.Name != "_id" || candidate is not null)
            {
                return false;
            }

            candidate = element.Value;
        }

        if (candidate is BsonDocument d && FilterParser.IsExpressionDocument(d))
        {
            if (d.Count != 1 || d[0].Name != "$eq")
            {
                return false;
            }

            candidate = d[0].Value;
        }

        if (candidate is null || candidate.Type is BsonType.Array or BsonType.RegularExpression or BsonType.Undefined)
        {
            return false;
        }

        id = candidate;
        return true;
    }
}
