namespace DistributedSync.Bson.Json;

/// <summary>Which Extended JSON v2 output form to produce.</summary>
public enum ExtendedJsonMode
{
    /// <summary>Type-preserving: every number and date in its wrapper.</summary>
    Canonical,
    /// <summary>Readable: native JSON numbers where lossless, ISO-8601 dates in range.</summary>
    Relaxed,
}

// PLACEHOLDER owned by the Extended JSON helper: replace with the real implementation.
public static class ExtendedJson
{
    /// <summary>Writes a value as Extended JSON.</summary>
    public static string Write(BsonValue value, ExtendedJsonMode mode) => throw new NotImplementedException();
}
