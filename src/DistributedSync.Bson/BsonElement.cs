namespace DistributedSync.Bson;

/// <summary>A named value inside a <see cref="BsonDocument"/>.</summary>
public readonly record struct BsonElement(string Name, BsonValue Value);
