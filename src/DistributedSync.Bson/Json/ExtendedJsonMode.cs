namespace DistributedSync.Bson.Json;

/// <summary>Which Extended JSON v2 output form to produce.</summary>
public enum ExtendedJsonMode
{
    /// <summary>Type-preserving: every number and date in its wrapper.</summary>
    Canonical,

    /// <summary>Readable: native JSON numbers where lossless, ISO-8601 dates in range.</summary>
    Relaxed,
}
