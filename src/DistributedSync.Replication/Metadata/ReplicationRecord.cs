using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Metadata;

/// <summary>
/// A node's replication progress:
/// <c>{ _id: "replication", applied: { t, i }, state: "secondary"|"recovering"|"rollback"|"resync", minValid?: { t, i }, heldUpTo?: { t, i }, attempt?: string }</c>.
/// <see cref="Applied"/> is the last oplog position whose change is in the node's data; the oplog
/// may run ahead of it after a crash between writing an entry and applying it, in which case the
/// tail after <see cref="Applied"/> is re-applied (idempotently) before anything else.
/// </summary>
/// <param name="Applied">Last position applied to the data.</param>
/// <param name="State">See <see cref="ReplicationState"/>.</param>
/// <param name="MinValid">While <see cref="ReplicationState.Recovering"/>: the position the node must reach (on the same history) to be consistent.</param>
/// <param name="HeldUpTo">
/// While <see cref="ReplicationState.Resyncing"/>: the last oplog position the node held before the
/// resync cleared it (the highest, over repeated attempts). Heartbeats and term writes report it as
/// the node's last position until the resync finishes, so clearing a node never withdraws its vote
/// for what it held: no election can then pick a history that lacks those entries.
/// </param>
/// <param name="Attempt">
/// While <see cref="ReplicationState.RollingBack"/> or <see cref="ReplicationState.Resyncing"/>: the
/// id of the attempt that owns the node. Every step of a rollback or resync checks it, so a late
/// step of an abandoned attempt (its request was already on the wire) changes nothing.
/// </param>
public sealed record ReplicationRecord(OpPosition Applied, ReplicationState State, OpPosition? MinValid = null, OpPosition? HeldUpTo = null, string? Attempt = null)
{
    /// <summary>A fresh node: nothing applied, consistent (an empty data set is the replay of an empty oplog).</summary>
    public static ReplicationRecord Initial { get; } = new(OpPosition.Zero, ReplicationState.Consistent);

    /// <summary>
    /// The last position to report for elections: the oplog's end, or <see cref="HeldUpTo"/> while a
    /// resync has cleared the oplog.
    /// </summary>
    public OpPosition ReportedLast(OpPosition oplogLast)
        => State == ReplicationState.Resyncing && HeldUpTo is { } held ? OpPosition.Max(held, oplogLast) : oplogLast;

    /// <summary>The metadata document.</summary>
    public BsonDocument ToBson()
    {
        var doc = new BsonDocument(4)
            .Add("_id", MetadataNames.ReplicationDocumentId)
            .Add("applied", Applied.ToBsonDocument())
            .Add("state", StateName(State));
        if (MinValid is { } minValid)
        {
            doc.Add("minValid", minValid.ToBsonDocument());
        }

        if (HeldUpTo is { } held)
        {
            doc.Add("heldUpTo", held.ToBsonDocument());
        }

        if (Attempt is not null)
        {
            doc.Add("attempt", Attempt);
        }

        return doc;
    }

    /// <summary>Reads the metadata document; null reads as <see cref="Initial"/>.</summary>
    /// <exception cref="FormatException">A field is missing or has the wrong type.</exception>
    public static ReplicationRecord FromBson(BsonDocument? document)
    {
        if (document is null)
        {
            return Initial;
        }

        var applied = document.TryGetValue("applied", out var a) && a is BsonDocument ad
            ? OpPosition.FromBsonDocument(ad)
            : throw new FormatException("The replication document has no 'applied' position.");
        var state = document.TryGetValue("state", out var s) && s is BsonString ss
            ? ParseState(ss.Value)
            : throw new FormatException("The replication document has no 'state' string.");
        OpPosition? minValid = document.TryGetValue("minValid", out var m) && m is BsonDocument md
            ? OpPosition.FromBsonDocument(md)
            : null;
        OpPosition? held = document.TryGetValue("heldUpTo", out var h) && h is BsonDocument hd
            ? OpPosition.FromBsonDocument(hd)
            : null;
        var attempt = document.TryGetValue("attempt", out var at) && at is BsonString atString ? atString.Value : null;
        return new ReplicationRecord(applied, state, minValid, held, attempt);
    }

    /// <summary>The string stored for a state.</summary>
    public static string StateName(ReplicationState state) => state switch
    {
        ReplicationState.Consistent => "secondary",
        ReplicationState.Recovering => "recovering",
        ReplicationState.RollingBack => "rollback",
        ReplicationState.Resyncing => "resync",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a replication state."),
    };

    private static ReplicationState ParseState(string name) => name switch
    {
        "secondary" => ReplicationState.Consistent,
        "recovering" => ReplicationState.Recovering,
        "rollback" => ReplicationState.RollingBack,
        "resync" => ReplicationState.Resyncing,
        _ => throw new FormatException($"'{name}' is not a replication state."),
    };
}
