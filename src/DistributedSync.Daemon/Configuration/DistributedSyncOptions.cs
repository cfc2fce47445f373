namespace DistributedSync.Daemon.Configuration;

/// <summary>
/// The daemon's settings: the <c>DistributedSync</c> configuration section. Bound from the
/// configuration file, environment variables (<c>DistributedSync__Election__HeartbeatIntervalMs=500</c>)
/// and the command line (<c>--DistributedSync:Election:HeartbeatIntervalMs=500</c>), later sources
/// winning; checked at start by <see cref="DistributedSyncOptionsValidator"/>. Every key and its
/// default is listed in <c>docs/configuration.md</c>.
/// </summary>
public sealed class DistributedSyncOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "DistributedSync";

    /// <summary>The default of <see cref="Database"/>.</summary>
    public const string DefaultDatabase = "app";

    /// <summary>The default of <see cref="MetadataDatabase"/>.</summary>
    public const string DefaultMetadataDatabase = "distsync";

    /// <summary>
    /// The MongoDB nodes (<c>DistributedSync:Nodes:&lt;i&gt;:Id|Name|Uri</c>): at least three, an
    /// odd count, with unique ids, names and addresses. No default: the list must be configured.
    /// </summary>
    public IList<NodeOptions> Nodes { get; } = new List<NodeOptions>();

    /// <summary>Embedded emulator nodes started as child processes (<c>DistributedSync:Embedded</c>).</summary>
    public EmbeddedOptions Embedded { get; set; } = new();

    /// <summary>The database whose collections are replicated (<c>DistributedSync:Database</c>, default <c>app</c>).</summary>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>
    /// The database on every node holding the daemon's own state: oplog, term, applied position
    /// (<c>DistributedSync:MetadataDatabase</c>, default <c>distsync</c>). Must differ from <see cref="Database"/>.
    /// </summary>
    public string MetadataDatabase { get; set; } = DefaultMetadataDatabase;

    /// <summary>Heartbeat and election timing (<c>DistributedSync:Election</c>).</summary>
    public ElectionOptions Election { get; set; } = new();

    /// <summary>Oplog and replication batching (<c>DistributedSync:Replication</c>).</summary>
    public ReplicationOptions Replication { get; set; } = new();

    /// <summary>The HTTP API (<c>DistributedSync:Http</c>).</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>Problems found in the raw configuration by <see cref="DistributedSyncOptionsBinder"/> (unknown keys, unparsable values).</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
