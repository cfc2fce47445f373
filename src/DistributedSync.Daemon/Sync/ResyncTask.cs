using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
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
/// <para>
/// The attempt id guards every step after the first (<see cref="RepairAttempt"/>): the final record
/// write is conditional on it and the clearing, every copied batch and the oplog seed are each
/// preceded by a re-read of it, so an attempt that another one has taken over stops (event
/// RepairSuperseded) without changing anything more. The copy reports its progress (documents,
/// estimated total, rate, ETA) to the <see cref="ResyncProgressBoard"/> after every batch and logs
/// it about once a second and at the end of every collection.
/// </para>
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
    private readonly RepairAttempt _attempt;

    public ResyncTask(NodeStore target, NodeStore source, long term, OpPosition expectedLast, int batchSize, Action<ClusterEvent> post, ILogger logger, Func<string, CancellationToken, Task>? beforeStep = null)
    {
        _target = target;
        _source = source;
        _term = term;
        _expectedLast = expectedLast;
        _batchSize = batchSize;
        _post = post;
        _logger = logger;
        _attempt = new RepairAttempt(target, beforeStep);
    }

    /// <summary>Where the copy's progress is published (null: nowhere).</summary>
    public ResyncProgressBoard? Progress { get; init; }

    /// <summary>The clock of the progress rate and log interval.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public async Task RunAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await RepairPreconditions.CheckAsync(_target, _term, _expectedLast, SyncTaskKind.Resyncing, _post, _logger, ct).ConfigureAwait(false) is not { } actualLast)
            {
                return;
            }

            _logger.ResyncStarted(_target.Id, _target.Name, _source.Id, "the node cannot follow the source's oplog");
            await _target.EnsureOplogAsync(ct).ConfigureAwait(false);
            var previous = await _target.ReadReplicationAsync(ct).ConfigureAwait(false);
            var held = previous.ReportedLast(actualLast);
            await _attempt.ClaimAsync(previous, new ReplicationRecord(OpPosition.Zero, ReplicationState.Resyncing, null, held), ct).ConfigureAwait(false);

            await _attempt.CheckAsync("drop data", ct).ConfigureAwait(false);
            await _target.Client.DropDatabaseAsync(_target.DataDatabase, null, ct).ConfigureAwait(false);
            await _attempt.CheckAsync("clear oplog", ct).ConfigureAwait(false);
            await _target.Oplog.DeleteManyAsync(new BsonDocument(), null, ct).ConfigureAwait(false);
            var applied = (await _source.ReadReplicationAsync(ct).ConfigureAwait(false)).Applied;
            var copied = await CopyAsync(ct).ConfigureAwait(false);
            var minValid = await _source.ReadLastPositionAsync(ct).ConfigureAwait(false);
            var seed = await _source.Oplog.FindOneAsync(new BsonDocument("_id", applied.Index), null, ct).ConfigureAwait(false);
            if (seed is not null && !applied.IsZero)
            {
                await _attempt.CheckAsync("seed oplog", ct).ConfigureAwait(false);
                await _target.Oplog.InsertOneAsync(seed, null, ct).ConfigureAwait(false);
            }
            else
            {
                applied = OpPosition.Zero;
            }

            await _attempt.WriteAsync("mark recovering", new ReplicationRecord(applied, ReplicationState.Recovering, minValid), ct).ConfigureAwait(false);
            _logger.ResyncCompleted(_target.Id, applied.ToString(), copied, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: true));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RepairSupersededException e) when (!ct.IsCancellationRequested)
        {
            _logger.RepairSuperseded("Resync", _target.Id, e.Step, _attempt.Id, e.Found ?? "no attempt");
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: false));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _logger.ResyncFailed(_target.Id, $"{e.GetType().Name}: {e.Message}", e);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
            _post(new SyncTaskEnded(_target.Id, _term, SyncTaskKind.Resyncing, Succeeded: false));
        }
        finally
        {
            Progress?.Clear(_target.Id);
        }
    }

    /// <summary>Copies every collection in batches of at most BatchSize documents (bounded memory).</summary>
    private async Task<long> CopyAsync(CancellationToken ct)
    {
        var database = _source.Client.GetDatabase(_source.DataDatabase);
        var names = await database.ListCollectionNamesAsync(null, ct).ConfigureAwait(false);
        var estimate = 0L;
        foreach (var name in names)
        {
            estimate += await _source.Data(name).EstimatedDocumentCountAsync(null, ct).ConfigureAwait(false);
        }

        var meter = new ResyncProgressMeter(estimate, Time);
        Progress?.Report(_target.Id, meter.Snapshot());
        foreach (var name in names)
        {
            var target = _target.Data(name);
            await using var cursor = await _source.Data(name).FindAsync(new BsonDocument(), new FindOptions { BatchSize = _batchSize }, ct).ConfigureAwait(false);
            var batch = new List<BsonDocument>(_batchSize);
            await foreach (var document in cursor.WithCancellation(ct).ConfigureAwait(false))
            {
                batch.Add(document);
                if (batch.Count >= _batchSize)
                {
                    await InsertBatchAsync(target, name, batch, meter, ct).ConfigureAwait(false);
                }
            }

            if (batch.Count > 0)
            {
                await InsertBatchAsync(target, name, batch, meter, ct).ConfigureAwait(false);
            }

            Log(name, meter.Snapshot());
        }

        return meter.Copied;
    }

    private async Task InsertBatchAsync(MongoCollection target, string name, List<BsonDocument> batch, ResyncProgressMeter meter, CancellationToken ct)
    {
        await _attempt.CheckAsync("copy batch", ct).ConfigureAwait(false);
        await target.InsertManyAsync(batch, null, ct).ConfigureAwait(false);
        meter.Add(batch.Count);
        batch.Clear();
        var progress = meter.Snapshot();
        Progress?.Report(_target.Id, progress);
        if (meter.LogDue())
        {
            Log(name, progress);
        }
    }

    private void Log(string collection, ResyncProgress p)
        => _logger.ResyncProgress(_target.Id, collection, p.Copied, p.Total, p.Rate, p.EtaSeconds ?? 0);
}
