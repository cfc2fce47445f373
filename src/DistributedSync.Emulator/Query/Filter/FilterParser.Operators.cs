using DistributedSync.Bson;

namespace DistributedSync.Emulator.Query.Filter;

internal static partial class FilterParser
{
    private static readonly HashSet<string> TopLevelOnly = new(StringComparer.Ordinal)
    {
        "$and", "$or", "$nor", "$where", "$expr", "$text", "$comment", "$jsonSchema", "$alwaysTrue", "$alwaysFalse",
    };

    /// <summary>True for operators that only exist at the top level of a filter ($and, $or, $expr, ...).</summary>
    internal static bool IsTopLevelOperator(string name) => TopLevelOnly.Contains(name);

    /// <summary>
    /// Parses the operators applied to one path (<c>{$gt: 1, $lt: 5}</c>). An empty path is the
    /// value form of <c>$elemMatch</c>, evaluated with <see cref="MatchNode.MatchesElement"/>.
    /// </summary>
    internal static MatchNode ParseOperators(string[] path, BsonDocument operators)
    {
        var nodes = new List<MatchNode>(operators.Count);
        var regexDone = false;
        foreach (var element in operators)
        {
            var op = element.Name;
            var arg = element.Value;
            switch (op)
            {
                case "$eq":
                    nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Eq, arg)));
                    break;
                case "$ne":
                    if (arg.Type == BsonType.RegularExpression)
                    {
                        throw QueryException.BadValue("Can't have regex as arg to $ne");
                    }

                    nodes.Add(new NotNode(new PathNode(path, new ComparisonPredicate(CompareOp.Eq, arg))));
                    break;
                case "$gt":
                    nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Gt, arg)));
                    break;
                case "$gte":
                    nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Gte, arg)));
                    break;
                case "$lt":
                    nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Lt, arg)));
                    break;
                case "$lte":
                    nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Lte, arg)));
                    break;
                case "$in":
                    nodes.Add(new PathNode(path, new InPredicate(arg, "$in")));
                    break;
                case "$nin":
                    nodes.Add(new NotNode(new PathNode(path, new InPredicate(arg, "$nin"))));
                    break;
                case "$exists":
                    var exists = new PathNode(path, ExistsPredicate.Instance);
                    nodes.Add(arg.ToBoolean() ? exists : new NotNode(exists));
                    break;
                case "$type":
                    nodes.Add(new PathNode(path, ParseType(arg)));
                    break;
                case "$size":
                    nodes.Add(new PathNode(path, new SizePredicate(ParseSize(arg))));
                    break;
                case "$all":
                    nodes.Add(ParseAll(path, arg));
                    break;
                case "$elemMatch":
                    nodes.Add(ParseElemMatch(path, arg));
                    break;
                case "$mod":
                    nodes.Add(new PathNode(path, new ModPredicate(arg)));
                    break;
                case "$not":
                    nodes.Add(ParseNot(path, arg));
                    break;
                case "$regex":
                case "$options":
                    if (!regexDone)
                    {
                        nodes.Add(new PathNode(path, ParseRegexOperator(operators)));
                        regexDone = true;
                    }

                    break;
                case "$bitsAllSet":
                    nodes.Add(new PathNode(path, new BitsPredicate(BitTest.AllSet, op, arg)));
                    break;
                case "$bitsAllClear":
                    nodes.Add(new PathNode(path, new BitsPredicate(BitTest.AllClear, op, arg)));
                    break;
                case "$bitsAnySet":
                    nodes.Add(new PathNode(path, new BitsPredicate(BitTest.AnySet, op, arg)));
                    break;
                case "$bitsAnyClear":
                    nodes.Add(new PathNode(path, new BitsPredicate(BitTest.AnyClear, op, arg)));
                    break;
                default:
                    throw QueryException.BadValue("unknown operator: " + op);
            }
        }

        return nodes.Count == 1 ? nodes[0] : new AndNode(nodes);
    }

    private static LeafPredicate ParseRegexOperator(BsonDocument operators)
    {
        var regex = operators.GetValueOrDefault("$regex");
        var options = operators.GetValueOrDefault("$options");
        if (regex is null)
        {
            throw QueryException.BadValue("$options needs a $regex");
        }

        if (options is not null && options is not BsonString)
        {
            throw QueryException.BadValue("$options has to be a string");
        }

        var optionText = (options as BsonString)?.Value;
        return regex switch
        {
            BsonString s => new RegexPredicate(s.Value, optionText ?? string.Empty),
            BsonRegularExpression r when optionText is not null && r.Options.Length > 0
                => throw new QueryException(51075, "options set in both $regex and $options"),
            BsonRegularExpression r => new RegexPredicate(r.Pattern, optionText ?? r.Options),
            _ => throw QueryException.BadValue("$regex has to be a string"),
        };
    }

    private static MatchNode ParseNot(string[] path, BsonValue arg)
    {
        switch (arg)
        {
            case BsonRegularExpression r:
                return new NotNode(new PathNode(path, new RegexPredicate(r.Pattern, r.Options)));
            case BsonDocument d:
                if (d.Count == 0)
                {
                    throw QueryException.BadValue("$not cannot be empty");
                }

                return new NotNode(ParseOperators(path, d));
            default:
                throw QueryException.BadValue("$not needs a regex or a document");
        }
    }

    private static MatchNode ParseAll(string[] path, BsonValue arg)
    {
        if (arg is not BsonArray array)
        {
            throw QueryException.BadValue("$all needs an array");
        }

        if (array.Count == 0)
        {
            return ConstantNode.False;
        }

        var nodes = new List<MatchNode>(array.Count);
        var elemMatchForm = array[0] is BsonDocument firstDoc && firstDoc.Count > 0 && firstDoc[0].Name == "$elemMatch";
        foreach (var item in array)
        {
            var isElemMatch = item is BsonDocument d && d.Count > 0 && d[0].Name == "$elemMatch";
            if (isElemMatch != elemMatchForm)
            {
                throw QueryException.BadValue("$all/$elemMatch has to be consistent");
            }

            if (elemMatchForm)
            {
                nodes.Add(ParseOperators(path, (BsonDocument)item));
            }
            else if (item is BsonRegularExpression r)
            {
                nodes.Add(new PathNode(path, new RegexPredicate(r.Pattern, r.Options)));
            }
            else if (item is BsonDocument doc && IsExpressionDocument(doc))
            {
                throw QueryException.BadValue("no $ expressions in $all");
            }
            else
            {
                nodes.Add(new PathNode(path, new ComparisonPredicate(CompareOp.Eq, item)));
            }
        }

        return nodes.Count == 1 ? nodes[0] : new AndNode(nodes);
    }

    private static PathNode ParseElemMatch(string[] path, BsonValue arg)
    {
        if (arg is not BsonDocument doc)
        {
            throw QueryException.BadValue("$elemMatch needs an Object");
        }

        var valueForm = IsExpressionDocument(doc) && !TopLevelOnly.Contains(doc[0].Name);
        LeafPredicate predicate = valueForm
            ? new ElemMatchValuePredicate(ParseOperators([], doc))
            : new ElemMatchObjectPredicate(Parse(doc));
        return new PathNode(path, predicate);
    }

    private static TypePredicate ParseType(BsonValue arg)
    {
        var types = new HashSet<BsonType>();
        var anyNumber = false;
        if (arg is BsonArray list)
        {
            foreach (var item in list)
            {
                anyNumber |= AddType(item, types);
            }
        }
        else
        {
            anyNumber = AddType(arg, types);
        }

        return new TypePredicate(types, anyNumber);
    }

    private static bool AddType(BsonValue spec, HashSet<BsonType> types)
    {
        if (spec is BsonString s)
        {
            if (s.Value == "number")
            {
                return true;
            }

            types.Add(TypeAliases.FromAlias(s.Value) ?? throw QueryException.BadValue("Unknown type name alias: " + s.Value));
            return false;
        }

        if (!spec.IsNumeric)
        {
            throw QueryException.TypeMismatch("type must be represented as a number or a string");
        }

        var d = spec.ToDouble();
        if (d != Math.Floor(d) || !TypeAliases.TryFromCode((int)Math.Clamp(d, int.MinValue, int.MaxValue), out var type))
        {
            throw QueryException.BadValue("Invalid numerical type code: " + BsonText.Value(spec));
        }

        types.Add(type);
        return false;
    }

    private static int ParseSize(BsonValue arg)
    {
        double size;
        switch (arg)
        {
            case BsonInt32 i:
                size = i.Value;
                break;
            case BsonInt64 l:
                if (l.Value is < int.MinValue or > int.MaxValue)
                {
                    throw QueryException.BadValue("$size must be representable as a 32-bit integer");
                }

                size = l.Value;
                break;
            case BsonDouble d:
                if (d.Value != Math.Floor(d.Value) || double.IsInfinity(d.Value))
                {
                    throw QueryException.BadValue("$size must be a whole number");
                }

                size = d.Value;
                break;
            default:
                throw QueryException.BadValue("$size needs a number");
        }

        if (size < 0)
        {
            throw QueryException.BadValue("$size may not be negative");
        }

        return (int)Math.Min(size, int.MaxValue);
    }
}
