using DistributedSync.Bson;
using DistributedSync.Mongo;
using DistributedSync.Replication.Metadata;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// The ownership of a node by one rollback or resync attempt, through the <c>attempt</c> field of
/// the node's replication record (<c>{_id: "replication", applied, state, attempt}</c>).
/// <list type="bullet">
/// <item><see cref="ClaimAsync"/> writes the record with a fresh attempt id, only where the record
/// still names the attempt it was read with (a conditional replace; a record that changed in
/// between makes the upsert collide on <c>_id</c>, which is the "lost" answer).</item>
/// <item><see cref="WriteAsync"/> changes the record only where it still names this attempt.</item>
/// <item><see cref="CheckAsync"/> re-reads the record immediately before a step that changes data
/// (data collections, oplog, rollback collection), which a filter cannot guard.</item>
/// </list>
/// When another attempt owns the node each of them throws <see cref="RepairSupersededException"/>
/// and the task stops without changing anything more.
/// </summary>
internal sealed class RepairAttempt
{
    private readonly NodeStore _node;
    private readonly Func<string, CancellationToken, Task>? _beforeStep;

    /// <param name="node">The node being repaired.</param>
    /// <param name="beforeStep">Called with the step's name before every guarded step (a test hook; null in production).</param>
    public RepairAttempt(NodeStore node, Func<string, CancellationToken, Task>? beforeStep)
    {
        _node = node;
        _beforeStep = beforeStep;
    }

    /// <summary>This attempt's id, stored in the record while it owns the node.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Takes the node: writes <paramref name="claimed"/> (with this attempt's id) where the record still names <paramref name="previous"/>'s attempt.</summary>
    public async Task<ReplicationRecord> ClaimAsync(ReplicationRecord previous, ReplicationRecord claimed, CancellationToken ct)
    {
        const string step = "claim";
        await BeforeAsync(step, ct).ConfigureAwait(false);
        var record = claimed with { Attempt = Id };
        try
        {
            await _node.Metadata.ReplaceOneAsync(Filter(previous.Attempt), record.ToBson(), new UpdateOptions { IsUpsert = true }, ct).ConfigureAwait(false);
        }
        catch (MongoException e) when (NodeStore.IsDuplicateKey(e))
        {
            throw await SupersededAsync(step, ct).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>Replaces the record with <paramref name="record"/> where it still names this attempt.</summary>
    public async Task WriteAsync(string step, ReplicationRecord record, CancellationToken ct)
    {
        await BeforeAsync(step, ct).ConfigureAwait(false);
        var result = await _node.Metadata.ReplaceOneAsync(Filter(Id), record.ToBson(), null, ct).ConfigureAwait(false);
        if (result.MatchedCount == 0)
        {
            throw await SupersededAsync(step, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Throws <see cref="RepairSupersededException"/> unless the record still names this attempt.</summary>
    public async Task CheckAsync(string step, CancellationToken ct)
    {
        await BeforeAsync(step, ct).ConfigureAwait(false);
        var found = (await _node.ReadReplicationAsync(ct).ConfigureAwait(false)).Attempt;
        if (!string.Equals(found, Id, StringComparison.Ordinal))
        {
            throw new RepairSupersededException(step, found);
        }
    }

    private static BsonDocument Filter(string? attempt)
        => new BsonDocument("_id", MetadataNames.ReplicationDocumentId).Add("attempt", attempt is null ? BsonNull.Value : new BsonString(attempt));

    private Task BeforeAsync(string step, CancellationToken ct) => _beforeStep is null ? Task.CompletedTask : _beforeStep(step, ct);

    private async Task<RepairSupersededException> SupersededAsync(string step, CancellationToken ct)
        => new(step, (await _node.ReadReplicationAsync(ct).ConfigureAwait(false)).Attempt);
}

/// <summary>Another rollback or resync attempt owns the node: the running one must stop.</summary>
internal sealed class RepairSupersededException : Exception
{
    public RepairSupersededException(string step, string? found)
        : base($"Another attempt ({found ?? "none"}) owns the node before step '{step}'.")
    {
        Step = step;
        Found = found;
    }

    /// <summary>The step that was not done.</summary>
    public string Step { get; }

    /// <summary>The attempt id the node's record names instead (null: none).</summary>
    public string? Found { get; }
}
