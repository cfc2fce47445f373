using DistributedSync.Bson;

namespace DistributedSync.Daemon.Engine;

/// <summary>A find in a collection of the replicated database.</summary>
/// <param name="Collection">The collection (a validated name).</param>
/// <param name="Filter">A MongoDB query filter (<c>{}</c> for every document).</param>
/// <param name="Limit">The most documents to return (at least 1).</param>
public sealed record ReadQuery(string Collection, BsonDocument Filter, int Limit);

/// <summary>The result of a <see cref="ReadQuery"/>.</summary>
/// <param name="Documents">The documents found, in the node's natural order.</param>
/// <param name="NodeId">The id of the node that served the read.</param>
public sealed record ReadOutcome(IReadOnlyList<BsonDocument> Documents, int NodeId);
