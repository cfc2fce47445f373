using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;

namespace DistributedSync.Emulator.Query.Filter;

/// <summary>Parses a query filter document into a tree of <see cref="MatchNode"/>s, with mongod's errors.</summary>
internal static partial class FilterParser
{
    /// <summary>Parses a whole filter (top level, or a <c>$and</c>/<c>$or</c>/<c>$nor</c> clause, or a <c>$elemMatch</c> object).</summary>
    public static MatchNode Parse(BsonDocument filter)
    {
        var children = new List<MatchNode>(filter.Count);
        foreach (var element in filter)
        {
            var name = element.Name;
            var value = element.Value;
            if (name.StartsWith('$'))
            {
                var node = ParseTopLevelOperator(name, value);
                if (node is not null)
                {
                    children.Add(node);
                }
            }
            else
            {
                children.Add(ParsePathValue(name, value));
            }
        }

        return children.Count switch
        {
            0 => ConstantNode.True,
            1 => children[0],
            _ => new AndNode(children),
        };
    }

    /// <summary>
    /// True when a document holds operators rather than a literal value: its first field starts
    /// with '$' and it is not a DBRef (<c>$ref</c>/<c>$id</c>/<c>$db</c>).
    /// </summary>
    public static bool IsExpressionDocument(BsonDocument doc)
    {
        if (doc.Count == 0)
        {
            return false;
        }

        var first = doc[0].Name;
        return first.StartsWith('$') && first is not ("$ref" or "$id" or "$db");
    }

    private static MatchNode? ParseTopLevelOperator(string name, BsonValue value)
    {
        switch (name)
        {
            case "$and":
                return new AndNode(ParseClauses(name, value));
            case "$or":
                return new OrNode(ParseClauses(name, value));
            case "$nor":
                return new NorNode(ParseClauses(name, value));
            case "$comment":
                return null;
            case "$expr":
                return new ExprMatchNode(value);
            case "$alwaysTrue":
            case "$alwaysFalse":
                if (!value.IsNumeric || value.ToDouble() != 1)
                {
                    throw QueryException.FailedToParse(name + " must be an integer value of 1");
                }

                return name == "$alwaysTrue" ? ConstantNode.True : ConstantNode.False;
            case "$where":
                throw QueryException.BadValue("$where is not allowed in this context: server-side JavaScript is not supported");
            case "$text":
                throw new QueryException(QueryErrorCodes.IndexNotFound, "text index required for $text query");
            default:
                throw QueryException.BadValue(
                    $"unknown top level operator: {name}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.");
        }
    }

    private static List<MatchNode> ParseClauses(string name, BsonValue value)
    {
        if (value is not BsonArray array || array.Count == 0)
        {
            throw QueryException.BadValue(name + " must be a nonempty array");
        }

        var clauses = new List<MatchNode>(array.Count);
        foreach (var clause in array)
        {
            if (clause is not BsonDocument doc)
            {
                throw QueryException.BadValue("$or/$and/$nor entries need to be full objects");
            }

            clauses.Add(Parse(doc));
        }

        return clauses;
    }

    /// <summary>Parses <c>path: value</c>, where the value is a literal, a regex or an operator document.</summary>
    private static MatchNode ParsePathValue(string dottedPath, BsonValue value)
    {
        var path = PathSupport.Split(dottedPath);
        return value switch
        {
            BsonRegularExpression r => new PathNode(path, new RegexPredicate(r.Pattern, r.Options)),
            BsonDocument d when IsExpressionDocument(d) => ParseOperators(path, d),
            _ => new PathNode(path, new ComparisonPredicate(CompareOp.Eq, value)),
        };
    }
}
