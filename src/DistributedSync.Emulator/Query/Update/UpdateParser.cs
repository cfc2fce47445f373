using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>Builds the update tree of an operator-style update, with mongod's parse errors.</summary>
internal static class UpdateParser
{
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "$set", "$setOnInsert", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$push", "$addToSet",
        "$pop", "$pull", "$pullAll", "$currentDate",
    };

    /// <summary>Parses <c>{$op: {path: arg, ...}, ...}</c>.</summary>
    public static UpdateObjectNode Parse(BsonDocument update, IReadOnlyDictionary<string, FilterMatcher> arrayFilters, ISet<string> usedFilters)
    {
        var root = new UpdateObjectNode();
        foreach (var (op, args) in update)
        {
            if (!Operators.Contains(op))
            {
                throw QueryException.FailedToParse(
                    $"Unknown modifier: {op}. Expected a valid update modifier or pipeline-style update specified as an array");
            }

            if (args is not BsonDocument fields)
            {
                throw QueryException.FailedToParse(
                    $"Modifiers operate on fields but we found type {BsonText.TypeName(args.Type)} instead. For example: {{$mod: {{<field>: ...}}}} not {{{BsonText.Element(op, args)}}}");
            }

            foreach (var (field, arg) in fields)
            {
                if (op == "$rename")
                {
                    AddRename(root, field, arg, arrayFilters, usedFilters);
                    continue;
                }

                var path = ValidatePath(field, op, arrayFilters, usedFilters);
                Add(root, path, field, CreateModifier(op, field, arg), arrayFilters);
            }
        }

        return root;
    }

    private static ModifierNode CreateModifier(string op, string field, BsonValue arg) => op switch
    {
        "$set" => new SetModifier(arg, onInsertOnly: false),
        "$setOnInsert" => new SetModifier(arg, onInsertOnly: true),
        "$unset" => new UnsetModifier(),
        "$inc" => new ArithmeticModifier(NumericOps.Op.Add, field, arg),
        "$mul" => new ArithmeticModifier(NumericOps.Op.Multiply, field, arg),
        "$min" => new CompareModifier(arg, keepMax: false),
        "$max" => new CompareModifier(arg, keepMax: true),
        "$push" => new PushModifier(arg),
        "$addToSet" => new AddToSetModifier(arg),
        "$pop" => new PopModifier(field, arg),
        "$pull" => PullModifier.ForPull(arg),
        "$pullAll" => PullModifier.ForPullAll(arg),
        "$currentDate" => new CurrentDateModifier(field, arg),
        _ => throw new InvalidOperationException(op),
    };

    private static void AddRename(UpdateObjectNode root, string from, BsonValue arg, IReadOnlyDictionary<string, FilterMatcher> arrayFilters, ISet<string> usedFilters)
    {
        if (arg is not BsonString toValue)
        {
            throw QueryException.BadValue($"The 'to' field for $rename must be a string: {BsonText.Element(from, arg)}");
        }

        var to = toValue.Value;
        var fromPath = ValidatePath(from, "$rename", arrayFilters, usedFilters);
        var toPath = ValidatePath(to, "$rename", arrayFilters, usedFilters);
        if (from == to)
        {
            throw QueryException.BadValue($"The source and target field for $rename must differ: {BsonText.Element(from, arg)}");
        }

        if (to.StartsWith(from + ".", StringComparison.Ordinal) || from.StartsWith(to + ".", StringComparison.Ordinal))
        {
            throw QueryException.BadValue($"The source and target field for $rename must not be on the same path: {BsonText.Element(from, arg)}");
        }

        if (fromPath.Any(p => p.StartsWith('$')))
        {
            throw QueryException.BadValue($"The source field for $rename may not be dynamic: {from}");
        }

        if (toPath.Any(p => p.StartsWith('$')))
        {
            throw QueryException.BadValue($"The destination field for $rename may not be dynamic: {to}");
        }

        Add(root, fromPath, from, new ConflictPlaceholder(), arrayFilters);
        Add(root, toPath, to, new RenameModifier(from, to), arrayFilters);
    }

    private static string[] ValidatePath(string field, string op, IReadOnlyDictionary<string, FilterMatcher> arrayFilters, ISet<string> usedFilters)
    {
        if (field.Length == 0)
        {
            throw new QueryException(QueryErrorCodes.EmptyFieldName, "An empty update path is not valid.");
        }

        var path = PathSupport.Split(field);
        var positionalCount = 0;
        for (var i = 0; i < path.Length; i++)
        {
            var part = path[i];
            if (part.Length == 0)
            {
                throw new QueryException(QueryErrorCodes.EmptyFieldName,
                    $"The update path '{field}' contains an empty field name, which is not allowed.");
            }

            if (part == "$")
            {
                positionalCount++;
                if (i == 0)
                {
                    throw QueryException.BadValue($"Cannot have positional (i.e. '$') element in the first position in path '{field}'");
                }
            }
            else if (UpdateObjectNode.IsPositional(part))
            {
                if (i == 0)
                {
                    throw QueryException.BadValue($"Cannot have array filter identifier (i.e. '$[<id>]') element in the first position in path '{field}'");
                }

                var identifier = part[2..^1];
                if (identifier.Length > 0)
                {
                    if (!arrayFilters.ContainsKey(identifier))
                    {
                        throw QueryException.BadValue($"No array filter found for identifier '{identifier}' in path '{field}'");
                    }

                    usedFilters.Add(identifier);
                }
            }
            else if (part.StartsWith('$') && op != "$unset")
            {
                throw new QueryException(QueryErrorCodes.DollarPrefixedFieldName,
                    $"The dollar ($) prefixed field '{part}' in '{field}' is not valid for storage.");
            }
        }

        if (positionalCount > 1)
        {
            throw QueryException.BadValue($"Too many positional (i.e. '$') elements found in path '{field}'");
        }

        return path;
    }

    private static void Add(UpdateObjectNode root, string[] path, string field, ModifierNode leaf, IReadOnlyDictionary<string, FilterMatcher> arrayFilters)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var child = current.GetChild(path[i]);
            if (child is null)
            {
                var created = new UpdateObjectNode();
                current.SetChild(path[i], created, FilterFor(path[i], arrayFilters));
                current = created;
            }
            else if (child is UpdateObjectNode inner)
            {
                current = inner;
            }
            else
            {
                throw new QueryException(QueryErrorCodes.ConflictingUpdateOperators,
                    $"Updating the path '{field}' would create a conflict at '{string.Join('.', path[..(i + 1)])}'");
            }
        }

        var last = path[^1];
        if (current.GetChild(last) is not null)
        {
            throw new QueryException(QueryErrorCodes.ConflictingUpdateOperators,
                $"Updating the path '{field}' would create a conflict at '{field}'");
        }

        current.SetChild(last, leaf, FilterFor(last, arrayFilters));
    }

    private static FilterMatcher? FilterFor(string part, IReadOnlyDictionary<string, FilterMatcher> arrayFilters)
        => part.Length > 3 && part.StartsWith("$[", StringComparison.Ordinal) && arrayFilters.TryGetValue(part[2..^1], out var f) ? f : null;
}
