using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Daemon.Logging;
using DistributedSync.Mongo;
using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// A full resync (<see cref="StartResync"/>) in the order <see cref="StartResync"/> describes:
/// mark the node <c>resync</c> with a fresh attempt (keeping heldUpTo), clear its replicated
/// database and oplog, read the source's applied position P, copy every collection in batches,
/// read the source's last position M, seed the node's oplog with the source's entry at P, set
/// applied = P and state <c>recovering</c> with minValid = M. The follower task then tails from P
/// and makes the node consistent once it reaches M.
/// </summary>
internal sealed class ResyncTask
{
    private readonly NodeStore _target;
    private readonly NodeStore _source;
    private readonly long _term;
    private readonly OpPosition _expectedLast;
    private readonly int _batchSize;
    private readonly Action<ClusterEvent> _post;
    private readonly ILogger _logger;

    public ResyncTask(NodeStore target, NodeStore source, long term, OpPosition expectedLast, int batchSize, Action<ClusterEvent> post, ILogger logger)
    {
        _target = target;
        _source = source;
        _term = term;
        _expectedLast = expectedLast;
        _batchSize = batchSize;
        _post = post;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var stored = await _target.ReadTermAsync(ct).ConfigureAwait(false);
            if (!TermRules.MayAccept(stored.Term, _term))
            {
                _post(new HigherTermObserved(_target.Id, stored.Term));
                return;
            }

            // The plan was made when the node's oplog ended at ExpectedLast; if it has moved on
            // since (a request that waited on the wire), acting on it could wipe good data.
            var actualLast = await _target.ReadLastPositionAsync(ct).ConfigureAwait(false);
            if (actualLast != _expectedLast)
            {
                _logger.RepairSkipped("Resync", _target.Id, actualLast.ToString(), _expectedLast.ToString());
                _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: false));
                return;
            }

            _logger.ResyncStarted(_target.Id, _target.Name, _source.Id, "the node cannot follow the source's oplog");
            await _target.EnsureOplogAsync(ct).ConfigureAwait(false);
            var record = await _target.ReadReplicationAsync(ct).ConfigureAwait(false);
            var held = record.ReportedLast(await _target.ReadLastPositionAsync(ct).ConfigureAwait(false));
            record = new ReplicationRecord(OpPosition.Zero, ReplicationState.Resyncing, null, held, Guid.NewGuid().ToString("N"));
            await _target.WriteReplicationAsync(record, ct).ConfigureAwait(false);

            await _target.Client.DropDatabaseAsync(_target.DataDatabase, null, ct).ConfigureAwait(false);
            await _target.Oplog.DeleteManyAsync(new BsonDocument(), null, ct).ConfigureAwait(false);
            var applied = (await _source.ReadReplicationAsync(ct).ConfigureAwait(false)).Applied;
            var copied = await CopyAsync(ct).ConfigureAwait(false);
            var minValid = await _source.ReadLastPositionAsync(ct).ConfigureAwait(false);
            var seed = await _source.Oplog.FindOneAsync(new BsonDocument("_id", applied.Index), null, ct).ConfigureAwait(false);
            if (seed is not null && !applied.IsZero)
            {
                await _target.Oplog.InsertOneAsync(seed, null, ct).ConfigureAwait(false);
            }
            else
            {
                applied = OpPosition.Zero;
            }

            await _target.WriteReplicationAsync(new ReplicationRecord(applied, ReplicationState.Recovering, minValid), ct).ConfigureAwait(false);
            _logger.ResyncCompleted(_target.Id, applied.ToString(), copied, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: true));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.ResyncFailed(_target.Id, $"{e.GetType().Name}: {e.Message}", e);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: false));
        }
    }

    private async Task<long> CopyAsync(CancellationToken ct)
    {
        var total = 0L;
        var names = await _source.Client.GetDatabase(_source.DataDatabase).ListCollectionNamesAsync(null, ct).ConfigureAwait(false);
        foreach (var name in names)
        {
            var target = _target.Data(name);
            await using var cursor = await _source.Data(name).FindAsync(new BsonDocument(), new FindOptions { BatchSize = _batchSize }, ct).ConfigureAwait(false);
            var batch = new List<BsonDocument>(_batchSize);
            var copied = 0L;
            await foreach (var document in cursor.WithCancellation(ct).ConfigureAwait(false))
            {
                batch.Add(document);
                if (batch.Count >= _batchSize)
                {
                    await target.InsertManyAsync(batch, null, ct).ConfigureAwait(false);
                    copied += batch.Count;
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await target.InsertManyAsync(batch, null, ct).ConfigureAwait(false);
                copied += batch.Count;
            }

            _logger.ResyncProgress(_target.Id, name, copied, copied);
            total += copied;
        }

        return total;
    }
}
