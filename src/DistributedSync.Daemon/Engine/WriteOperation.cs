using DistributedSync.Bson;

namespace DistributedSync.Daemon.Engine;

/// <summary>One write requested through the HTTP API, in a collection of the replicated database.</summary>
/// <param name="Collection">The collection (a validated name).</param>
public abstract record WriteOperation(string Collection);

/// <summary>Inserts <paramref name="Document"/>, which always carries an <c>_id</c> (the API generates an ObjectId when the client gave none).</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Document">The document to insert.</param>
public sealed record InsertOperation(string Collection, BsonDocument Document) : WriteOperation(Collection);

/// <summary>Replaces the document whose <c>_id</c> is <paramref name="Id"/> by <paramref name="Replacement"/> (whose <c>_id</c>, if present, equals <paramref name="Id"/>).</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Id">The <c>_id</c> of the document.</param>
/// <param name="Replacement">The new document, without update operators.</param>
/// <param name="Upsert">Insert it (with <c>_id</c> = <paramref name="Id"/>) when no document matches.</param>
public sealed record ReplaceOperation(string Collection, BsonValue Id, BsonDocument Replacement, bool Upsert) : WriteOperation(Collection);

/// <summary>Updates the document whose <c>_id</c> is <paramref name="Id"/> with update operators (<c>$set</c>, <c>$unset</c>, <c>$inc</c>, ...).</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Id">The <c>_id</c> of the document.</param>
/// <param name="Update">The update document: only operators, none touching <c>_id</c>.</param>
public sealed record UpdateOperation(string Collection, BsonValue Id, BsonDocument Update) : WriteOperation(Collection);

/// <summary>Deletes the document whose <c>_id</c> is <paramref name="Id"/>.</summary>
/// <param name="Collection">The collection.</param>
/// <param name="Id">The <c>_id</c> of the document.</param>
public sealed record DeleteOperation(string Collection, BsonValue Id) : WriteOperation(Collection);
