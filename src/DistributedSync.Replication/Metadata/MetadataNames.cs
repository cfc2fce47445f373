namespace DistributedSync.Replication.Metadata;

/// <summary>Where the daemon keeps its state on every node.</summary>
public static class MetadataNames
{
    /// <summary>The daemon's database on every node.</summary>
    public const string Database = "distsync";

    /// <summary>Holds the <see cref="TermRecord"/> and <see cref="ReplicationRecord"/> documents.</summary>
    public const string MetadataCollection = "metadata";

    /// <summary>The capped oplog collection (see <see cref="Oplog.OplogEntrySerializer"/>).</summary>
    public const string OplogCollection = "oplog";

    /// <summary>Where a rollback saves the divergent entries it removes (same BSON form as the oplog).</summary>
    public const string RollbackCollection = "rollback";

    /// <summary>The <c>_id</c> of the term document.</summary>
    public const string TermDocumentId = "term";

    /// <summary>The <c>_id</c> of the replication document.</summary>
    public const string ReplicationDocumentId = "replication";
}
