using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Query.Update;

/// <summary>
/// Parses an update's <c>arrayFilters</c>: each is a filter on one identifier
/// (<c>{"elem.grade": {$gte: 85}}</c> defines <c>elem</c>), matched against
/// <c>{identifier: arrayElement}</c>.
/// </summary>
internal static class ArrayFilterParser
{
    /// <summary>The filters by identifier (empty when none are given).</summary>
    public static Dictionary<string, FilterMatcher> Parse(BsonArray? arrayFilters)
    {
        var result = new Dictionary<string, FilterMatcher>(StringComparer.Ordinal);
        if (arrayFilters is null)
        {
            return result;
        }

        foreach (var item in arrayFilters)
        {
            if (item is not BsonDocument filter)
            {
                throw QueryException.TypeMismatch($"BSON field 'update.updates.arrayFilters' is the wrong type '{BsonText.TypeName(item.Type)}', expected type 'object'");
            }

            var identifier = Identifier(filter)
                ?? throw QueryException.FailedToParse("Cannot use an expression without a top-level field name in arrayFilters");
            if (identifier.Length == 0 || !char.IsAsciiLetterLower(identifier[0]) || !identifier.All(char.IsAsciiLetterOrDigit))
            {
                throw QueryException.BadValue($"Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '{identifier}'");
            }

            if (result.ContainsKey(identifier))
            {
                throw QueryException.FailedToParse($"Found multiple array filters with the same top-level field name {identifier}");
            }

            result[identifier] = FilterMatcher.Compile(filter);
        }

        return result;
    }

    private static string? Identifier(BsonDocument filter)
    {
        string? identifier = null;
        foreach (var (name, value) in filter)
        {
            string? current;
            if (name.StartsWith('$'))
            {
                current = value is BsonArray { Count: > 0 } clauses && clauses[0] is BsonDocument first ? Identifier(first) : null;
                if (current is null)
                {
                    continue;
                }
            }
            else
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                current = dot < 0 ? name : name[..dot];
            }

            if (identifier is not null && identifier != current)
            {
                throw QueryException.FailedToParse($"Error parsing array filter :: caused by :: Expected a single top-level field name, found '{identifier}' and '{current}'");
            }

            identifier = current;
        }

        return identifier;
    }
}
