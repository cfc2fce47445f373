namespace DistributedSync.Daemon.Configuration;

/// <summary>One MongoDB node (<c>DistributedSync:Nodes:&lt;i&gt;</c>). No defaults: every key must be set.</summary>
public sealed class NodeOptions
{
    /// <summary>
    /// The node's id (<c>:Id</c>), a positive integer unique among the nodes. The Bully election
    /// prefers the highest id among the most up-to-date candidates.
    /// </summary>
    public int Id { get; set; }

    /// <summary>
    /// The node's name (<c>:Name</c>), unique (case-insensitively) among the nodes: letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>, at most 64 characters, not starting with <c>.</c>. Shown in
    /// logs and <c>/status</c>; an embedded node keeps its data in <c>&lt;DataDirectory&gt;/&lt;Name&gt;</c>.
    /// </summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The node's <c>mongodb://</c> connection string (<c>:Uri</c>) naming exactly one host (the
    /// nodes are standalone servers), e.g. <c>mongodb://root:secret@127.0.0.1:27017/?authSource=admin</c>.
    /// Its password never appears in logs or <c>/status</c>.
    /// </summary>
#pragma warning disable CA1056 // A connection string, not a URL: it is parsed by MongoConnectionString.
    public string Uri { get; set; } = string.Empty;
#pragma warning restore CA1056
}
