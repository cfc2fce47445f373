namespace DistributedSync.Bson;

// PLACEHOLDER owned by the comparison helper: replace with the real implementation.
public sealed class BsonValueComparer
{
}
