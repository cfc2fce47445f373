using DistributedSync.Bson;

namespace DistributedSync.Replication.Oplog;

/// <summary>
/// Names one document: its namespace ("db.collection") and its <c>_id</c>. Ids compare the way
/// MongoDB's unique <c>_id</c> index does (<see cref="BsonValueComparer"/>), so Int32 1 and
/// Int64 1 name the same document.
/// </summary>
/// <param name="Namespace">"database.collection".</param>
/// <param name="Id">The document's <c>_id</c>.</param>
public readonly record struct DocumentKey(string Namespace, BsonValue Id)
{
    /// <summary>Same namespace (ordinal) and ids equal under MongoDB's order.</summary>
    public bool Equals(DocumentKey other)
        => string.Equals(Namespace, other.Namespace, StringComparison.Ordinal)
           && BsonValueComparer.Instance.Equals(Id, other.Id);

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(
            Namespace is null ? 0 : StringComparer.Ordinal.GetHashCode(Namespace),
            Id is null ? 0 : BsonValueComparer.Instance.GetHashCode(Id));

    /// <summary>"ns/_id" for messages.</summary>
    public override string ToString() => $"{Namespace}/{Id}";
}
