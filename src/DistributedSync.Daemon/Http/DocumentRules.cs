using System.Globalization;
using DistributedSync.Bson;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// The checks every collection name, document and update passes before it reaches the engine
/// (all failures are 400 with a message naming the part at fault).
/// </summary>
public static class DocumentRules
{
    /// <summary>The longest collection name.</summary>
    public const int MaxCollectionNameLength = 120;

    /// <summary>The update operators a PATCH may use.</summary>
    public static readonly IReadOnlySet<string> UpdateOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$currentDate",
        "$setOnInsert", "$push", "$addToSet", "$pull", "$pullAll", "$pop",
    };

    /// <summary>
    /// Checks a collection name: letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, at most 120
    /// characters, not starting with <c>.</c> or <c>system.</c>.
    /// </summary>
    /// <exception cref="ApiException">The name is not allowed.</exception>
    public static string CheckCollectionName(string? name)
    {
        var ok = !string.IsNullOrEmpty(name) && name.Length <= MaxCollectionNameLength && name[0] != '.' && !name.EndsWith('.')
            && !name.StartsWith("system.", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
        return ok
            ? name!
            : throw ApiException.BadRequest(ApiErrors.InvalidCollectionName, string.Create(CultureInfo.InvariantCulture, $"'{name}' is not an allowed collection name: use letters, digits, '_', '-' and '.', at most {MaxCollectionNameLength} characters, not starting with '.' or 'system.'."));
    }

    /// <summary>
    /// Checks a document to store: top-level field names neither empty nor <c>$</c>-prefixed, no
    /// NUL character in any field name, and an <c>_id</c> (when present) that may be one.
    /// </summary>
    /// <param name="document">The document.</param>
    /// <param name="what">How the document is named in messages ("the body", "element 3 of the body").</param>
    /// <exception cref="ApiException">A rule is broken.</exception>
    public static void CheckDocument(BsonDocument document, string what)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var element in document)
        {
            if (element.Name.Length == 0)
            {
                throw Invalid($"{what} has a field with an empty name.");
            }

            if (element.Name.StartsWith('$'))
            {
                throw Invalid($"{what} has the field '{element.Name}'; top-level field names cannot start with '$' (update operators belong in a PATCH).");
            }
        }

        CheckFieldNames(document, what);
        if (document.TryGetValue("_id", out var id))
        {
            DocumentIds.CheckId(id, $"The _id of {what}");
        }
    }

    /// <summary>
    /// Checks an update document: not empty, only known operators (<see cref="UpdateOperators"/>),
    /// each with a non-empty object of field paths, none of them <c>_id</c> or inside it.
    /// </summary>
    /// <exception cref="ApiException">A rule is broken.</exception>
    public static void CheckUpdate(BsonDocument update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Count == 0)
        {
            throw Invalid("The update is empty; give at least one operator such as {\"$set\": {\"field\": 1}}.");
        }

        foreach (var (op, value) in update)
        {
            if (!UpdateOperators.Contains(op))
            {
                throw Invalid(op.StartsWith('$')
                    ? $"Unknown update operator '{op}' (supported: {string.Join(", ", UpdateOperators.Order(StringComparer.Ordinal))})."
                    : $"The update has the plain field '{op}'; a PATCH takes update operators only (use PUT to replace a document).");
            }

            if (value is not BsonDocument fields || fields.Count == 0)
            {
                throw Invalid($"The value of '{op}' must be a non-empty object of field paths, not {RequestBody.Describe(value)}.");
            }

            foreach (var (path, argument) in fields)
            {
                CheckUpdatePath(op, path);
                if (op is "$inc" or "$mul" && !argument.IsNumeric)
                {
                    throw Invalid($"'{op}' needs a number for '{path}', not {RequestBody.Describe(argument)}.");
                }

                if (op == "$rename")
                {
                    if (argument is not BsonString target || target.Value.Length == 0)
                    {
                        throw Invalid($"'$rename' needs a non-empty string (the new name) for '{path}', not {RequestBody.Describe(argument)}.");
                    }

                    CheckUpdatePath(op, target.Value);
                }
            }
        }
    }

    private static void CheckUpdatePath(string op, string path)
    {
        if (path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
        {
            throw Invalid($"'{op}' has the field path '{path}', which has an empty part.");
        }

        if (path == "_id" || path.StartsWith("_id.", StringComparison.Ordinal))
        {
            throw Invalid($"'{op}' would modify '{path}', but _id is immutable.");
        }

        if (path.StartsWith('$'))
        {
            throw Invalid($"'{op}' has the field path '{path}', which cannot start with '$'.");
        }
    }

    private static void CheckFieldNames(BsonValue value, string what)
    {
        switch (value)
        {
            case BsonDocument document:
                foreach (var (name, child) in document)
                {
                    if (name.Contains('\0', StringComparison.Ordinal))
                    {
                        throw Invalid($"{what} has a field name containing a NUL character.");
                    }

                    CheckFieldNames(child, what);
                }

                break;
            case BsonArray array:
                foreach (var child in array)
                {
                    CheckFieldNames(child, what);
                }

                break;
        }
    }

    private static ApiException Invalid(string message) => ApiException.BadRequest(ApiErrors.InvalidDocument, message);
}
