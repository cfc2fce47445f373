using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>Where a match happened inside an array, for the positional <c>$</c> update operator.</summary>
internal sealed class MatchDetails
{
    /// <summary>The index, in the first array traversed, of the element that made the filter match; -1 when none.</summary>
    public int ArrayOffset { get; set; } = -1;
}

/// <summary>A compiled node of a query filter (mongod's MatchExpression).</summary>
internal abstract class MatchNode
{
    /// <summary>True when the document satisfies this node.</summary>
    public abstract bool Matches(BsonDocument doc, MatchDetails? details);

    /// <summary>
    /// Tests a single value, ignoring paths (mongod's matchesSingleElement). Used by the value
    /// form of <c>$elemMatch</c> and by <c>$pull</c> conditions; null means a missing value.
    /// </summary>
    public abstract bool MatchesElement(BsonValue? value);
}

/// <summary>All children must match (<c>$and</c>, and several operators on one field).</summary>
internal sealed class AndNode(IReadOnlyList<MatchNode> children) : MatchNode
{
    public IReadOnlyList<MatchNode> Children { get; } = children;

    public override bool Matches(BsonDocument doc, MatchDetails? details)
    {
        foreach (var c in Children)
        {
            if (!c.Matches(doc, details))
            {
                return false;
            }
        }

        return true;
    }

    public override bool MatchesElement(BsonValue? value)
    {
        foreach (var c in Children)
        {
            if (!c.MatchesElement(value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Some child must match (<c>$or</c>).</summary>
internal sealed class OrNode(IReadOnlyList<MatchNode> children) : MatchNode
{
    public override bool Matches(BsonDocument doc, MatchDetails? details)
    {
        foreach (var c in children)
        {
            if (c.Matches(doc, details))
            {
                return true;
            }
        }

        return false;
    }

    public override bool MatchesElement(BsonValue? value)
    {
        foreach (var c in children)
        {
            if (c.MatchesElement(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>No child may match (<c>$nor</c>).</summary>
internal sealed class NorNode(IReadOnlyList<MatchNode> children) : MatchNode
{
    public override bool Matches(BsonDocument doc, MatchDetails? details)
    {
        foreach (var c in children)
        {
            if (c.Matches(doc, null))
            {
                return false;
            }
        }

        return true;
    }

    public override bool MatchesElement(BsonValue? value)
    {
        foreach (var c in children)
        {
            if (c.MatchesElement(value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Negation of the whole child (<c>$not</c>, <c>$ne</c>, <c>$nin</c>, <c>$exists: false</c>).</summary>
internal sealed class NotNode(MatchNode child) : MatchNode
{
    public override bool Matches(BsonDocument doc, MatchDetails? details) => !child.Matches(doc, null);

    public override bool MatchesElement(BsonValue? value) => !child.MatchesElement(value);
}

/// <summary>A constant result (<c>{}</c>, <c>$alwaysTrue</c>, an empty <c>$all</c>, ...).</summary>
internal sealed class ConstantNode(bool result) : MatchNode
{
    public static readonly ConstantNode True = new(true);
    public static readonly ConstantNode False = new(false);

    public bool Result { get; } = result;

    public override bool Matches(BsonDocument doc, MatchDetails? details) => Result;

    public override bool MatchesElement(BsonValue? value) => Result;
}

/// <summary>A predicate applied to the values a dotted path reaches (mongod's LeafMatchExpression).</summary>
internal sealed class PathNode(string[] path, LeafPredicate predicate) : MatchNode
{
    public string[] Path { get; } = path;

    public LeafPredicate Predicate { get; } = predicate;

    public override bool Matches(BsonDocument doc, MatchDetails? details)
    {
        var offset = -1;
        if (!ElementTraversal.Any(doc, Path, Predicate, ref offset))
        {
            return false;
        }

        if (details is not null && details.ArrayOffset < 0 && offset >= 0)
        {
            details.ArrayOffset = offset;
        }

        return true;
    }

    public override bool MatchesElement(BsonValue? value) => Predicate.Test(value);
}
