namespace DistributedSync.Mongo.Configuration;

/// <summary>The read preference modes of the server selection specification.</summary>
public enum ReadPreferenceMode
{
    /// <summary>Read from the primary only (the default).</summary>
    Primary,

    /// <summary>Read from the primary when available, otherwise a secondary.</summary>
    PrimaryPreferred,

    /// <summary>Read from secondaries only.</summary>
    Secondary,

    /// <summary>Read from a secondary when available, otherwise the primary.</summary>
    SecondaryPreferred,

    /// <summary>Read from the member with the lowest latency.</summary>
    Nearest,
}
