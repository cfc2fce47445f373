using System.Text;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// mongod's rules for namespaces a client may create or write to (its
/// <c>userAllowedCreateNS</c> / <c>userAllowedWriteNS</c>), all InvalidNamespace (73): no
/// <c>$</c> or NUL in a collection name, none starting with a dot, at most 255 bytes for
/// "db.collection", and only the system collections clients may use.
/// </summary>
internal static class NamespaceRules
{
    private const int MaxNamespaceBytes = 255;

    private static readonly HashSet<string> AdminSystemCollections = new(StringComparer.Ordinal)
    {
        "system.users", "system.roles", "system.version", "system.new_users", "system.backup_users",
    };

    /// <summary>Throws unless a client may create <paramref name="database"/>.<paramref name="collection"/>.</summary>
    public static void CheckCreate(string database, string collection)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(collection);
        var ns = database + "." + collection;
        if (collection.Length == 0 || database.Length == 0)
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, "Invalid namespace: " + ns);
        }

        if (collection[0] == '.' || collection.Contains('$', StringComparison.Ordinal) || collection.Contains('\0', StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, "Invalid collection name: " + collection);
        }

        if (collection == "system.profile")
        {
            return;
        }

        if (collection.StartsWith("system.", StringComparison.Ordinal) && !IsLegalSystemCollection(database, collection))
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, "Invalid system namespace: " + ns);
        }

        if (Encoding.UTF8.GetByteCount(ns) > MaxNamespaceBytes)
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, $"Fully qualified namespace is too long. Namespace: {ns} Max: {MaxNamespaceBytes}");
        }

        if (collection.Contains(".system.", StringComparison.Ordinal))
        {
            throw new ServerErrorException(ErrorCodes.BadValue, "Invalid namespace: " + ns);
        }
    }

    /// <summary>Throws unless a client may write documents to the namespace (also creating it implicitly).</summary>
    public static void CheckWrite(string database, string collection)
    {
        if (collection is "system.profile" or "system.views")
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, $"cannot write to {database}.{collection}");
        }

        CheckCreate(database, collection);
    }

    private static bool IsLegalSystemCollection(string database, string collection)
        => (database == "admin" && AdminSystemCollections.Contains(collection))
            || collection == "system.js"
            || collection == "system.views"
            || collection.StartsWith("system.buckets.", StringComparison.Ordinal)
            || (database == "config" && collection == "system.sessions");
}
