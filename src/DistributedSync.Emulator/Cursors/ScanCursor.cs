using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Projection;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Cursors;

/// <summary>
/// A collection scan in natural (record id) order that yields between batches like mongod's
/// yielding plan executor: each batch reads a fresh snapshot from just after the last record it
/// examined, applying the filter, skip, limit and projection on the way. A document that did not
/// fit in a batch's 16 MiB is kept for the next one. On a capped collection a cursor whose last
/// examined record has been deleted (trimmed) fails with CappedPositionLost (136); a tailable
/// cursor stays open at the end of the data and picks up documents inserted later.
/// </summary>
internal sealed class ScanCursor : ServerCursor
{
    private const int ChunkSize = 256;

    private readonly CollectionInfo _collection;
    private readonly FilterMatcher _filter;
    private readonly ProjectionSpec? _projection;
    private long _skip;
    private long? _limitLeft;
    private long _lastRecordId;
    private BsonDocument? _stashed;
    private bool _atEnd;

    /// <summary>Creates a scan of <paramref name="collection"/> from its first record.</summary>
    public ScanCursor(CollectionInfo collection, CursorOwner owner, FilterMatcher filter, ProjectionSpec? projection, long skip, long? limit)
        : base(collection.Database, collection.Name, owner)
    {
        _collection = collection;
        _filter = filter;
        _projection = projection is { IsIdentity: false } ? projection : null;
        _skip = skip;
        _limitLeft = limit is > 0 ? limit : null;
    }

    /// <summary>The record id of the last record examined (0 before the first).</summary>
    public long LastRecordId => _lastRecordId;

    /// <inheritdoc />
    public override CursorBatch NextBatch(StorageEngine storage, int? batchSize, OperationDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var batch = new BatchBuilder(batchSize);
        if (_limitLeft == 0 || (_atEnd && !Tailable))
        {
            return new CursorBatch(batch.Documents, true);
        }

        if (_stashed is not null && !batch.IsFull)
        {
            batch.TryAdd(_stashed);
            _stashed = null;
            if (TakeOne())
            {
                return new CursorBatch(batch.Documents, true);
            }
        }

        using var read = storage.OpenRead();
        var info = read.GetCollection(_collection.Database, _collection.Name);
        if (info is null || info.TableId != _collection.TableId)
        {
            throw new ServerErrorException(ErrorCodes.QueryPlanKilled, $"collection dropped. UUID {_collection.Uuid}");
        }

        CheckCappedPosition(read, info);
        _atEnd = false;
        var examined = 0;
        while (!batch.IsFull)
        {
            var chunk = 0;
            foreach (var stored in read.Scan(info, _lastRecordId, ChunkSize))
            {
                chunk++;
                _lastRecordId = stored.RecordId;
                if (++examined % 64 == 0)
                {
                    deadline.ThrowIfExpired();
                }

                if (!_filter.IsMatchAll && !_filter.Matches(stored.Document))
                {
                    continue;
                }

                if (_skip > 0)
                {
                    _skip--;
                    continue;
                }

                var result = _projection is null ? stored.Document : _projection.Apply(stored.Document);
                if (!batch.TryAdd(result, _projection is null ? stored.Size : BsonCodec.GetEncodedSize(result)))
                {
                    _stashed = result;
                    return new CursorBatch(batch.Documents, false);
                }

                if (TakeOne())
                {
                    return new CursorBatch(batch.Documents, true);
                }

                if (batch.IsFull)
                {
                    break;
                }
            }

            if (chunk < ChunkSize && !batch.IsFull)
            {
                _atEnd = true;
                break;
            }
        }

        return new CursorBatch(batch.Documents, _atEnd && !Tailable);
    }

    // Counts one returned document against the limit; true when the limit is reached.
    private bool TakeOne()
    {
        if (_limitLeft is null)
        {
            return false;
        }

        _limitLeft--;
        return _limitLeft == 0;
    }

    private void CheckCappedPosition(ReadContext read, CollectionInfo info)
    {
        if (!info.Options.Capped || _lastRecordId == 0)
        {
            return;
        }

        // The record the scan last stood on must still exist: trimming (or a delete) removed it otherwise.
        var min = read.MinRecordId(info);
        var stillThere = min != 0 && min <= _lastRecordId
            && read.Scan(info, _lastRecordId - 1, 1).FirstOrDefault()?.RecordId == _lastRecordId;
        if (!stillThere)
        {
            throw new ServerErrorException(ErrorCodes.CappedPositionLost,
                "CollectionScan died due to position in capped collection being deleted. Last seen record id: RecordId("
                + _lastRecordId.ToString(CultureInfo.InvariantCulture) + ")");
        }
    }
}
