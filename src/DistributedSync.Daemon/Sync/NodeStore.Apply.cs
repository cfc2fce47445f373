using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Mongo;
using DistributedSync.Replication.Oplog;
using DistributedSync.Wire;

namespace DistributedSync.Daemon.Sync;

/// <summary>Replaying oplog entries on a node's data.</summary>
internal sealed partial class NodeStore
{
    // A run of statements sent as one command stays well below the 48,000,000-byte message limit.
    private const int MaxRunStatements = 1_000;
    private const long MaxRunBytes = 8L * 1024 * 1024;

    /// <summary>
    /// Applies entries to the data idempotently, in order: every insert, update and replace is an
    /// upsert of the post-image by <c>_id</c>, every delete a delete by <c>_id</c>. Consecutive
    /// entries of the same kind on the same collection go as one ordered <c>update</c> (or
    /// <c>delete</c>) command with one statement each, so a batch costs a few round trips instead
    /// of one per entry; ordered execution keeps the oplog's order within a run.
    /// </summary>
    /// <exception cref="InvalidOperationException">A statement failed (the entries before it are applied).</exception>
    public async Task ApplyAsync(IEnumerable<OplogEntry> entries, CancellationToken ct)
    {
        var run = new List<BsonDocument>();
        string? runNamespace = null;
        var runIsUpsert = false;
        long runBytes = 0;
        foreach (var entry in entries)
        {
            var (ns, upsert, statement) = OplogApplier.ToAction(entry) switch
            {
                UpsertDocument u => (u.Key.Namespace, true, new BsonDocument { { "q", new BsonDocument("_id", u.Key.Id) }, { "u", u.Document }, { "upsert", true } }),
                DeleteDocument d => (d.Key.Namespace, false, new BsonDocument { { "q", new BsonDocument("_id", d.Key.Id) }, { "limit", 1 } }),
                _ => (null, false, null),
            };
            if (ns is null || statement is null)
            {
                continue;
            }

            var size = BsonCodec.GetEncodedSize(statement);
            if (run.Count > 0 && (ns != runNamespace || upsert != runIsUpsert || run.Count >= MaxRunStatements || runBytes + size > MaxRunBytes))
            {
                await ApplyRunAsync(runNamespace!, runIsUpsert, run, ct).ConfigureAwait(false);
                run = [];
                runBytes = 0;
            }

            runNamespace = ns;
            runIsUpsert = upsert;
            run.Add(statement);
            runBytes += size;
        }

        if (run.Count > 0)
        {
            await ApplyRunAsync(runNamespace!, runIsUpsert, run, ct).ConfigureAwait(false);
        }
    }

    private async Task ApplyRunAsync(string ns, bool upsert, List<BsonDocument> statements, CancellationToken ct)
    {
        var dot = ns.IndexOf('.', StringComparison.Ordinal);
        var (database, collection) = dot < 0 ? (_database, ns) : (ns[..dot], ns[(dot + 1)..]);
        var command = new BsonDocument { { upsert ? "update" : "delete", collection }, { "ordered", true } };
        var sequence = new DocumentSequence(upsert ? "updates" : "deletes", statements);
        var reply = await Client.GetDatabase(database).RunCommandAsync(command, [sequence], ct).ConfigureAwait(false);
        if (reply.TryGetValue("writeErrors", out var errors) && errors is BsonArray { Count: > 0 } list)
        {
            var first = (BsonDocument)list[0];
            throw new InvalidOperationException(
                $"Applying oplog entries to {ns} on node {Id} failed at statement {first.GetValueOrDefault("index")}: {first.GetValueOrDefault("errmsg")} (code {first.GetValueOrDefault("code")}).");
        }
    }
}
